package org.diskless.support.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.junit.jupiter.api.Test;

class ClientContextsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final HardwareAddress MAC = HardwareAddress.parse("52:54:00:12:34:56");
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.20", 40000);

    @Test
    void aNodesFixedAddressNamesTheNode() throws Exception {
        Node node = Node.builder("n1", MAC).address(InetAddress.getByName("192.0.2.20")).build();
        BootContext context = contexts(List.of(node), Optional.empty()).contextOf(BootProtocol.HTTP, CLIENT);
        assertEquals(Optional.of(node), context.node());
        assertEquals(BootProtocol.HTTP, context.protocol());
    }

    @Test
    void anActiveLeaseNamesTheNodeOfItsMac() {
        Node node = Node.of("n1", MAC);
        BootContext context = contexts(List.of(node), Optional.of(lease(NOW.plusSeconds(60), Lease.State.BOUND)))
                .contextOf(BootProtocol.HTTP, CLIENT);
        assertEquals(Optional.of(node), context.node());
    }

    @Test
    void anActiveLeaseOfAStrangerGivesItsMac() {
        BootContext context = contexts(List.of(), Optional.of(lease(NOW.plusSeconds(60), Lease.State.BOUND)))
                .contextOf(BootProtocol.TFTP, CLIENT);
        assertTrue(context.node().isEmpty());
        assertEquals(Optional.of(MAC), context.hardwareAddress());
    }

    @Test
    void anExpiredOrReleasedLeaseNamesNoOne() {
        for (Lease lease : List.of(lease(NOW.minusSeconds(1), Lease.State.BOUND),
                lease(NOW.plusSeconds(60), Lease.State.RELEASED))) {
            BootContext context = contexts(List.of(Node.of("n1", MAC)), Optional.of(lease))
                    .contextOf(BootProtocol.HTTP, CLIENT);
            assertEquals(BootContext.of(BootProtocol.HTTP, CLIENT), context, lease.toString());
        }
    }

    @Test
    void withoutInventoryOrLeasesTheClientIsAStranger() {
        ClientContexts none = new ClientContexts(Optional::empty, Optional::empty, Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(BootContext.of(BootProtocol.HTTP, CLIENT), none.contextOf(BootProtocol.HTTP, CLIENT));
    }

    private static Lease lease(Instant expires, Lease.State state) {
        return Lease.of("01" + MAC.toString().replace(":", ""), MAC, (Inet4Address) CLIENT.getAddress(),
                NOW.minusSeconds(3600), expires, state);
    }

    private static ClientContexts contexts(List<Node> nodes, Optional<Lease> lease) {
        NodeDirectory directory = new NodeDirectory() {
            @Override
            public Optional<Node> byHardwareAddress(HardwareAddress address) {
                return nodes.stream().filter(n -> n.hardwareAddress().equals(address)).findFirst();
            }

            @Override
            public Optional<Node> byUuid(UUID uuid) {
                return Optional.empty();
            }

            @Override
            public Optional<Node> byAddress(InetAddress address) {
                return nodes.stream().filter(n -> n.address().filter(address::equals).isPresent()).findFirst();
            }

            @Override
            public Optional<Node> byName(String name) {
                return Optional.empty();
            }

            @Override
            public Collection<Node> nodes() {
                return nodes;
            }
        };
        LeaseStore store = new LeaseStore() {
            @Override
            public CompletionStage<Lease> commit(Lease l) {
                return CompletableFuture.completedFuture(l);
            }

            @Override
            public Optional<Lease> byAddress(Inet4Address address) {
                return lease.filter(l -> l.address().equals(address));
            }

            @Override
            public Optional<Lease> byClientId(String clientId) {
                return Optional.empty();
            }

            @Override
            public Collection<Lease> leases() {
                return lease.stream().toList();
            }
        };
        return new ClientContexts(() -> Optional.of(directory), () -> Optional.of(store), Clock.fixed(NOW, ZoneOffset.UTC));
    }
}

package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.diskless.api.network.BootNetwork;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A server that starts before its network is up: subnets (and an interface) refused because the
 * host had no address for them are looked at again when the host's addresses change, here read
 * from a fake source.
 */
@EnabledOnOs(OS.LINUX)
class DhcpServerAddressWatchTest {

    private static final String LAB = "org.diskless.dhcp.subnet~lab";
    private static final LocalAddress ETH0 = new LocalAddress("eth0", ip("192.0.2.1"), 24);
    private static final LocalAddress ETH1 = new LocalAddress("eth1", ip("198.18.5.1"), 24);

    private final AtomicReference<List<LocalAddress>> host = new AtomicReference<>(List.of());
    private final List<DhcpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(DhcpServer::deactivate);
    }

    @Test
    void aSubnetRefusedForWantOfAnAddressIsServedOnceTheAddressAppearsAndNoLongerOnceItGoes() throws Exception {
        DhcpServer server = start(Map.of());
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            Optional<SubnetTable.Refusal> refused = server.put(LAB, lab());
            assertTrue(refused.isPresent(), "no address of this host to answer from");
            assertTrue(refused.get().why().contains("no IPv4 address"), refused.get().why());
            assertTrue(refused.get().keepsServing().contains("as soon as this host has an address"),
                    refused.get().keepsServing());
            server.checkHostAddresses();
            assertEquals(List.of(), server.networks(), "nothing changed, nothing served");

            host.set(List.of(ETH0));
            server.checkHostAddresses();
            assertEquals(List.of(BootNetwork.builder("lab", ip("192.0.2.0"), 24).serverAddress(ip("192.0.2.1")).build()),
                    server.networks());
            assertEquals(List.of("INFO org.diskless.dhcp.internal.DhcpServer - DHCP subnet lab 192.0.2.0/24"
                    + " [192.0.2.100-192.0.2.109] is served now: this host's address 192.0.2.1 (eth0) is in it"),
                    linesOf(stderr));

            server.checkHostAddresses();
            assertEquals(1, linesOf(stderr).size(), "once: the addresses did not change again");

            host.set(List.of());
            server.checkHostAddresses();
            assertEquals(List.of(), server.networks());
            List<String> lines = linesOf(stderr);
            assertEquals(2, lines.size(), () -> String.join("\n", lines));
            assertTrue(lines.get(1).startsWith("WARN org.diskless.dhcp.internal.DhcpServer - DHCP subnet lab"
                    + " 192.0.2.0/24 [192.0.2.100-192.0.2.109] is no longer served"), lines.get(1));
        }
    }

    /**
     * The watch looked while the address was there; it went and came back before the next look,
     * and the subnet arrived (and was refused) in between. The watch must compare with what the
     * refusal saw, not with its own older look, or the subnet waits for ever.
     */
    @Test
    void aSubnetRefusedWhileTheAddressWasGoneBetweenTwoLooksIsServedWhenItComesBack() throws Exception {
        host.set(List.of(ETH0));
        DhcpServer server = start(Map.of());
        server.checkHostAddresses();

        host.set(List.of());
        assertTrue(server.put(LAB, lab()).isPresent(), "no address of this host to answer from");
        host.set(List.of(ETH0));
        server.checkHostAddresses();

        assertEquals(List.of(BootNetwork.builder("lab", ip("192.0.2.0"), 24).serverAddress(ip("192.0.2.1")).build()),
                server.networks());
    }

    @Test
    void aSubnetInForceFollowsItsAddressWhenAnotherRemains() throws Exception {
        host.set(List.of(ETH1, ETH0));
        DhcpServer server = start(Map.of());
        assertEquals(Optional.empty(), server.put(LAB, lab()));
        assertEquals(Optional.of(ip("192.0.2.1")), server.networks().get(0).serverAddress());

        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            host.set(List.of(ETH1));
            server.checkHostAddresses();
            assertEquals(Optional.of(ip("198.18.5.1")), server.networks().get(0).serverAddress(),
                    "relayed requests are answered from the address that is left");
            List<String> lines = linesOf(stderr);
            assertEquals(1, lines.size(), () -> String.join("\n", lines));
            assertTrue(lines.get(0).contains("this host no longer has an address in it (192.0.2.1 is gone from eth0)"),
                    lines.get(0));
        }
    }

    @Test
    void anInterfaceWithoutAnAddressYetIsTakenOnceItHasOneAndTheSubnetsThatWaitedAreServed() throws Exception {
        host.set(List.of(ETH0));
        DhcpServer server = start(Map.of("interface", "eth1"));
        assertEquals("not configured", server.mode());
        Optional<SubnetTable.Refusal> refused = server.put("org.diskless.dhcp.subnet~wire", Subnet.parse("wire",
                Config.of(Map.of("network", "198.18.5.0/24"))));
        assertTrue(refused.isPresent());

        host.set(List.of(ETH0, ETH1));
        server.checkHostAddresses();

        assertEquals("server", server.mode());
        assertTrue(server.listeningOn().isPresent());
        assertEquals(List.of(BootNetwork.builder("wire", ip("198.18.5.0"), 24).serverAddress(ip("198.18.5.1")).build()),
                server.networks());
    }

    @Test
    void aSubnetOverlappingOneThatWaitsIsRefusedAndDoesNotWait() throws Exception {
        DhcpServer server = start(Map.of());
        assertTrue(server.put(LAB, lab()).isPresent());
        Optional<SubnetTable.Refusal> overlap = server.put("org.diskless.dhcp.subnet~big", Subnet.parse("big",
                Config.of(Map.of("network", "192.0.0.0/16", "serverAddress", "192.0.2.1"))));
        assertTrue(overlap.isPresent());
        assertTrue(overlap.get().why().startsWith("'network = 192.0.0.0/16': overlaps subnet lab"), overlap.get().why());

        host.set(List.of(ETH0));
        server.checkHostAddresses();
        assertEquals(List.of("lab"), server.networks().stream().map(BootNetwork::name).toList());
    }

    private static Subnet lab() throws InvalidSettingException {
        return Subnet.parse("lab", Config.of(Map.of("network", "192.0.2.0/24", "range", "192.0.2.100-192.0.2.109")));
    }

    private DhcpServer start(Map<String, Object> extra) throws IOException {
        Map<String, Object> settings = new HashMap<>(Map.of("address", "127.0.0.1", "port", freePort(),
                "proxyPort", 0, "unknownClients", "allow"));
        settings.putAll(extra);
        DhcpServer server = new DhcpServer(null, settings, host::get);
        servers.add(server);
        return server;
    }

    /** The lines about subnets, leaving out the ones about sockets. */
    private static List<String> linesOf(StandardErrorCapture stderr) {
        return stderr.text().lines().map(l -> l.replaceFirst("^\\[[^\\]]*\\] ", ""))
                .filter(l -> l.contains("DHCP subnet")).toList();
    }

    private static int freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0))) {
            return probe.getLocalPort();
        }
    }
}

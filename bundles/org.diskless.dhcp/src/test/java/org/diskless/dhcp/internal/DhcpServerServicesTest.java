package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.PoolUsage;
import org.diskless.dhcp.codec.DhcpEncoder;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * What the server publishes besides answering: its counters (ProtocolStatistics) and the
 * subnets in force (BootNetworks) and how full their pools are (AddressPools), read by metrics,
 * status pages and boot loaders.
 */
@EnabledOnOs(OS.LINUX)
class DhcpServerServicesTest {

    private DhcpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.deactivate();
        }
    }

    private DhcpServer start() throws IOException {
        server = new DhcpServer(null, Map.of("address", "127.0.0.1", "port", freePort(), "proxyPort", 0,
                "unknownClients", "allow"));
        assertTrue(server.listeningOn().isPresent());
        return server;
    }

    @Test
    void theSubnetsInForceAreTheBootNetworks() throws Exception {
        start();
        assertEquals(List.of(), server.networks());

        server.put("org.diskless.dhcp.subnet~lab", Subnet.parse("lab", Config.of(Map.of("network", "192.0.2.0/24",
                "range", "192.0.2.100-192.0.2.109", "routers", "192.0.2.254", "serverAddress", "192.0.2.1"))));
        server.put("org.diskless.dhcp.subnet~far", Subnet.parse("far", Config.of(Map.of("network", "198.18.20.0/24",
                "serverAddress", "198.18.5.1"))));

        assertEquals(List.of(
                BootNetwork.builder("far", ip("198.18.20.0"), 24).serverAddress(ip("198.18.5.1")).build(),
                BootNetwork.builder("lab", ip("192.0.2.0"), 24).serverAddress(ip("192.0.2.1"))
                        .routers(List.of(ip("192.0.2.254"))).build()), server.networks());
        assertEquals(Optional.of(ip("192.0.2.254")), server.networkOf(ip("192.0.2.105")).flatMap(BootNetwork::gateway));
        server.remove("org.diskless.dhcp.subnet~far");
        assertEquals(List.of("lab"), server.networks().stream().map(BootNetwork::name).toList());
    }

    @Test
    void eachSubnetInForceHasItsPoolUsage() throws Exception {
        start();
        assertEquals(List.of(), server.pools());

        server.put("org.diskless.dhcp.subnet~lab", Subnet.parse("lab", Config.of(Map.of("network", "192.0.2.0/24",
                "range", "192.0.2.100-192.0.2.109", "serverAddress", "192.0.2.1"))));
        server.put("org.diskless.dhcp.subnet~far", Subnet.parse("far", Config.of(Map.of("network", "198.18.20.0/24",
                "serverAddress", "198.18.5.1"))));

        assertEquals(List.of(PoolUsage.builder("far", "198.18.20.0/24", 0).build(),
                PoolUsage.builder("lab", "192.0.2.0/24", 10).ranges(List.of("192.0.2.100-192.0.2.109")).free(10)
                        .build()),
                server.pools());
        server.remove("org.diskless.dhcp.subnet~lab");
        assertEquals(List.of("far"), server.pools().stream().map(PoolUsage::subnet).toList());
    }

    @Test
    void theCountersAreNamedAndCountWhatArrives() throws Exception {
        start();
        assertEquals(BootProtocol.DHCP, server.protocol());
        assertEquals(0L, server.counters().get("received_discover"));

        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0))) {
            ByteBuf discover = DhcpEncoder.encode(ByteBufAllocator.DEFAULT, DhcpFixture.discover(DhcpFixture.mac(1))
                    .build(), DhcpEncoder.ETHERNET_MAX_PAYLOAD);
            byte[] bytes = ByteBufUtil.getBytes(discover);
            discover.release();
            client.send(new DatagramPacket(bytes, bytes.length, server.listeningOn().orElseThrow()));
        }

        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (answered(server.counters()) == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        Map<String, Long> counters = server.counters();
        assertEquals(1L, counters.get("received_discover"));
        assertEquals(1L, counters.get("dropped_no_lease_store"), () -> "none runs here: " + counters);
        assertEquals(List.of("received_discover", "sent_offer"), counters.keySet().stream().limit(2).toList());
        assertTrue(counters.keySet().stream().allMatch(name -> name.matches("[a-z]+(_[a-z]+)+")), counters::toString);
    }

    /** What became of the requests so far: replies sent and requests dropped. */
    private static long answered(Map<String, Long> counters) {
        return counters.entrySet().stream().filter(c -> !c.getKey().startsWith("received_"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static int freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0))) {
            return probe.getLocalPort();
        }
    }
}

package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.diskless.dhcp.internal.DhcpMonitor.PeerView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Two servers on loopback (127.0.0.1 and 127.0.0.2, one heartbeat port) as each other's peer: they
 * hear each other and split the buckets; when one stops, the other takes them all within seconds.
 */
@EnabledOnOs(OS.LINUX)
class DhcpServerPeersTest {

    private final List<DhcpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(DhcpServer::deactivate);
    }

    @Test
    void peersSplitTheBucketsAndASurvivorTakesThemAllWhenTheOtherStops() throws Exception {
        int heartbeats = freePort();
        DhcpServer first = start("127.0.0.1", "127.0.0.2", heartbeats);
        DhcpServer second = start("127.0.0.2", "127.0.0.1", heartbeats);

        waitFor(() -> first.peers().size() == 2 && first.peers().get(1).lastSeen().isPresent()
                && second.peers().get(1).lastSeen().isPresent(), "the two servers hear each other");
        assertEquals(new PeerView("127.0.0.1", true, true, java.util.Optional.empty(), "0-127", 128),
                first.peers().get(0));
        assertEquals("128-255", first.peers().get(1).buckets());
        assertTrue(first.peers().get(1).up());

        second.deactivate();
        servers.remove(second);
        long stopped = System.nanoTime();
        waitFor(() -> !first.peers().get(1).up(), "the survivor sees the other down");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped);
        assertTrue(seconds <= 5, "down after " + seconds + " s");
        assertEquals("0-255", first.peers().get(0).buckets(), "the survivor answers every bucket");
        assertEquals(0, first.peers().get(1).bucketCount());
    }

    private DhcpServer start(String self, String peer, int heartbeats) throws IOException {
        Map<String, Object> settings = new HashMap<>(Map.of("address", self, "port", freePort(), "proxyPort", 0,
                "serverAddress", self, "unknownClients", "allow", "peers", peer, "peers.port", heartbeats));
        DhcpServer server = new DhcpServer(null, settings, () -> List.of(new LocalAddress("lo", ip(self), 8)));
        servers.add(server);
        return server;
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0))) {
            return probe.getLocalPort();
        }
    }
}

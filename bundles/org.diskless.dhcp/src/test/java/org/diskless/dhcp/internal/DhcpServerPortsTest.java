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
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The server on real sockets on loopback: it does not bind beside another socket on its ports
 * (SO_REUSEADDR would let it, and the two would split the requests), except as a ProxyDHCP on the
 * request port, which is what that option is there for.
 */
@EnabledOnOs(OS.LINUX)
class DhcpServerPortsTest {

    private final List<DhcpServer> servers = new ArrayList<>();
    private final List<DatagramSocket> others = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(DhcpServer::deactivate);
        others.forEach(DatagramSocket::close);
    }

    @Test
    void serverModeRefusesARequestPortAnotherSocketHolds() throws IOException {
        int port = heldByAnother();

        DhcpServer server = start(settings("port", port));

        assertEquals(Optional.empty(), server.listeningOn());
    }

    @Test
    void proxyModeSharesTheRequestPortWithTheNetworksDhcpServer() throws IOException {
        int port = heldByAnother();

        DhcpServer server = start(settings("mode", "proxy", "port", port));

        assertEquals(Optional.of(new InetSocketAddress(ip("127.0.0.1"), port)), server.listeningOn());
    }

    @Test
    void aSecondServerOnTheSameBootServerPortIsRefused() throws IOException {
        int bootServerPort = freePort();
        DhcpServer first = start(settings("port", freePort(), "proxyPort", bootServerPort));
        assertTrue(first.listeningOn().isPresent());

        DhcpServer second = start(settings("mode", "proxy", "port", freePort(), "proxyPort", bootServerPort));

        assertEquals(Optional.empty(), second.listeningOn());
    }

    @Test
    void theServersOwnSocketsNeverCountAsAnother() throws IOException {
        int port = freePort();
        int bootServerPort = freePort();
        DhcpServer server = start(settings("port", port, "proxyPort", bootServerPort));

        server.modified(settings("mode", "proxy", "port", port, "proxyPort", bootServerPort));
        assertEquals("proxy", server.mode());
        server.modified(settings("port", port, "proxyPort", bootServerPort));
        assertEquals("server", server.mode());
        int otherBootServerPort = freePort();
        server.modified(settings("port", port, "proxyPort", otherBootServerPort));

        assertEquals(Optional.of(new InetSocketAddress(ip("127.0.0.1"), port)), server.listeningOn());
    }

    @Test
    void switchingToServerModeBesideAnotherDhcpServerIsRefusedAndTheProxyKeepsServing() throws IOException {
        int port = heldByAnother();
        DhcpServer server = start(settings("mode", "proxy", "port", port));

        server.modified(settings("port", port));

        assertEquals("proxy", server.mode(), "the previous settings keep serving");
        assertTrue(server.listeningOn().isPresent());
    }

    private DhcpServer start(Map<String, Object> settings) {
        DhcpServer server = new DhcpServer(null, settings);
        servers.add(server);
        return server;
    }

    /** Loopback only, no proxy port unless given: nothing of the host's own DHCP is touched. */
    private static Map<String, Object> settings(Object... keysAndValues) {
        Map<String, Object> settings = new HashMap<>(Map.of("address", "127.0.0.1", "proxyPort", 0,
                "unknownClients", "allow"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }

    /** A port on loopback that another program holds, with SO_REUSEADDR as DHCP servers do. */
    private int heldByAnother() throws IOException {
        DatagramSocket other = new DatagramSocket(null);
        others.add(other);
        other.setReuseAddress(true);
        other.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
        return other.getLocalPort();
    }

    private static int freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0))) {
            return probe.getLocalPort();
        }
    }
}

package org.diskless.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP on loopback. */
class MetricsEndpointTest {

    private MetricsEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.deactivate();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static String get(int port, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(5000);
        assertEquals(200, connection.getResponseCode());
        assertTrue(connection.getContentType().startsWith("text/plain; version=0.0.4"), connection.getContentType());
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void metricsAreServedInTheTextFormatWithTheJvmBasics() throws IOException {
        int port = freePort();
        endpoint = new MetricsEndpoint(Map.of("address", "127.0.0.1", "port", port));

        String text = get(port, "/metrics");

        assertTrue(text.contains("# TYPE jvm_memory_used_bytes gauge"), text);
        assertTrue(text.contains("# TYPE jvm_threads_current gauge"), text);
        assertTrue(text.contains("process_cpu_seconds_total"), text);
    }

    @Test
    void theDefaultIsTheAdminInterfaceOnly() {
        assertEquals(new InetSocketAddress("127.0.0.1", MetricsSettings.DEFAULT_PORT),
                MetricsSettings.defaults().bindAddress());
    }

    @Test
    void aPortThatCannotBeBoundIsRefusedAndTheOldEndpointKeepsServing() throws IOException {
        int port = freePort();
        endpoint = new MetricsEndpoint(Map.of("address", "127.0.0.1", "port", port));
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            endpoint.modified(Map.of("address", "127.0.0.1", "port", held.getLocalPort()));

            assertEquals(port, endpoint.serving().orElseThrow().bindAddress().getPort());
            assertTrue(get(port, "/metrics").contains("jvm_"));
        }
    }

    @Test
    void aNewPortIsServedAndTheOldOneLetGo() throws IOException {
        int first = freePort();
        endpoint = new MetricsEndpoint(Map.of("address", "127.0.0.1", "port", first));
        int second = freePort();

        endpoint.modified(Map.of("address", "127.0.0.1", "port", second));

        assertTrue(get(second, "/metrics").contains("jvm_"));
        assertThrows(IOException.class, () -> get(first, "/metrics"));
    }

    @Test
    void theAddressChangesOnTheSamePortEvenWhereTheOldOneOverlapsIt() throws IOException {
        int port = freePort();
        endpoint = new MetricsEndpoint(Map.of("address", "127.0.0.1", "port", port));

        endpoint.modified(Map.of("address", "0.0.0.0", "port", port));

        assertEquals(new InetSocketAddress("0.0.0.0", port), endpoint.serving().orElseThrow().bindAddress());
        assertTrue(get(port, "/metrics").contains("jvm_"));
    }

    @Test
    void aBadValueIsRefusedNamingTheKey() {
        endpoint = new MetricsEndpoint(Map.of("port", "nine"));
        assertTrue(endpoint.serving().isEmpty());
    }
}

package org.diskless.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.boot.HttpBootEndpoint;
import org.diskless.api.files.BootFileResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A new address in the configuration, as clients and DHCP (through the published endpoint) see it. */
class HttpServerMoveTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** The ports of the HttpBootEndpoint services registered now. */
    private final List<Object> published = new ArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.deactivate();
        }
    }

    @Test
    void aNewPortIsServedAndTheOldOneLetGo() throws IOException {
        int first = freePort();
        server = start(first);
        int second = freePort();

        server.modified(on(second));

        connect(second);
        assertThrows(IOException.class, () -> connect(first));
        assertEquals(List.of(second), published);
    }

    @Test
    void aPortThatCannotBeBoundLeavesTheOldOneServing() throws IOException {
        int first = freePort();
        server = start(first);
        try (ServerSocket held = new ServerSocket(0, 1, LOOPBACK)) {
            server.modified(on(held.getLocalPort()));

            connect(first);
            assertEquals(Optional.of(new InetSocketAddress(LOOPBACK, first)), server.listeningOn());
            assertEquals(List.of(first), published);
        }
    }

    private HttpServer start(int port) {
        BootFileResolver noFiles = proxy(BootFileResolver.class, (p, method, args) -> {
            throw new UnsupportedOperationException(method.getName());
        });
        return new HttpServer(noFiles, context(), on(port));
    }

    private static Map<String, Object> on(int port) {
        return Map.of("address", LOOPBACK.getHostAddress(), "port", port);
    }

    /** A framework that only registers and unregisters the server's endpoint. */
    private BundleContext context() {
        return proxy(BundleContext.class, (p, method, args) -> {
            if (!method.getName().equals("registerService") || args[0] != HttpBootEndpoint.class) {
                throw new UnsupportedOperationException(method.getName());
            }
            Object port = ((Dictionary<?, ?>) args[2]).get(HttpBootEndpoint.PORT);
            published.add(port);
            return proxy(ServiceRegistration.class, (r, call, none) -> {
                if (!call.getName().equals("unregister")) {
                    throw new UnsupportedOperationException(call.getName());
                }
                published.remove(port);
                return null;
            });
        });
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(HttpServerMoveTest.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket(LOOPBACK, port)) {
            socket.setSoTimeout(1000);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }
}

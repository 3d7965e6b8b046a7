package org.diskless.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeEditException;
import org.diskless.api.nodes.NodeEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet's rules without a container: how every request is routed and refused, with a JSON
 * body always; and the lockout of a client address that guesses passwords, under a flood.
 */
class DashboardServletTest {

    private static final String PASSWORD = "right";
    private static final String ADMIN = AccessTest.basic("alice:" + PASSWORD);

    private final List<Credentials> tried = new ArrayList<>();
    private final List<Map<String, ?>> added = new ArrayList<>();
    private final BootStream stream = new BootStream(mac -> null);
    private final DashboardServlet servlet = servlet(Map.of());

    @AfterEach
    void stopTheStream() {
        stream.close();
    }

    private WebAccess access(Map<String, Object> properties) {
        return new WebAccess(properties, realm -> credentials -> {
            tried.add(credentials);
            return credentials.password().equals(PASSWORD) ? Optional.of(Set.of("admin")) : Optional.empty();
        }, null);
    }

    private DashboardServlet servlet(Map<String, Object> properties) {
        return new DashboardServlet(access(properties), stream);
    }

    private FakeHttp.Response send(DashboardServlet target, FakeHttp.Request request) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        target.service(request.proxy(response), response.proxy());
        return response;
    }

    private FakeHttp.Response send(FakeHttp.Request request) throws Exception {
        return send(servlet, request);
    }

    private FakeHttp.Response asAdmin(String method, String path) throws Exception {
        return send(new FakeHttp.Request(method, path).header("Authorization", ADMIN));
    }

    private static void assertJsonError(FakeHttp.Response response, int status, String field) {
        assertEquals(status, response.status, response::toString);
        assertEquals("application/json; charset=utf-8", response.contentType, response::toString);
        assertTrue(response.body().startsWith("{\"error\":"), response::toString);
        if (field != null) {
            assertTrue(response.body().contains("\"field\":\"" + field + "\""), response::toString);
        }
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), response::toString);
    }

    private void editor(NodeEditor editor) throws ReflectiveOperationException {
        Field field = DashboardServlet.class.getDeclaredField("editor"); // a DS field reference
        field.setAccessible(true);
        field.set(servlet, editor);
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertJsonError(asAdmin("GET", "/api/nosuch"), 404, null);
        assertJsonError(asAdmin("GET", "/api/"), 404, null);
        assertJsonError(asAdmin("GET", "/api/nodes/pc01/boots/extra"), 404, null);
        assertJsonError(asAdmin("GET", "/api/nodes/pc01/other"), 404, null);
        assertJsonError(asAdmin("GET", "/nosuch.html"), 404, null);
        assertJsonError(asAdmin("GET", "/../../etc/passwd"), 404, null);
        assertJsonError(asAdmin("GET", "/web/index.html"), 404, null);
        FakeHttp.Response escaped = asAdmin("GET", "/api/\u001b[2Jx");
        assertJsonError(escaped, 404, null);
        assertFalse(escaped.body().contains("\u001b"), "what a client sent comes back escaped");
    }

    @Test
    void knownPathsWithAnotherMethodAre405WithAllow() throws Exception {
        Map<String, String> allowed = Map.of("/api/boots", "GET", "/api/leases", "GET", "/api/transfers", "GET",
                "/api/events", "GET", "/api/nodes", "GET, POST", "/api/nodes/pc01", "GET, PUT, DELETE",
                "/api/nodes/pc01/boots", "GET", "/index.html", "GET");
        for (Map.Entry<String, String> path : allowed.entrySet()) {
            FakeHttp.Response response = asAdmin("PATCH", path.getKey());
            assertJsonError(response, 405, "method");
            assertEquals(path.getValue(), response.headers.get("Allow"), path::getKey);
        }
        assertJsonError(asAdmin("DELETE", "/api/boots"), 405, "method");
        assertJsonError(asAdmin("POST", "/"), 405, "method");
    }

    @Test
    void theRootRedirectsToThePageAndThePageIsServed() throws Exception {
        FakeHttp.Response root = asAdmin("GET", null);
        assertEquals(302, root.status);
        assertEquals(List.of("/diskless/"), root.redirects);
        FakeHttp.Response page = asAdmin("GET", "/");
        assertEquals(200, page.status, page::toString);
        assertTrue(page.contentType.startsWith("text/html"));
        assertEquals("default-src 'self'", page.headers.get("Content-Security-Policy"));
        assertEquals("nosniff", page.headers.get("X-Content-Type-Options"));
        FakeHttp.Response head = asAdmin("HEAD", "/dashboard.js");
        assertEquals(200, head.status);
        assertEquals("", head.body(), "HEAD: no body");
    }

    @Test
    void aServiceThatIsNotRunningIs503NamingTheFeature() throws Exception {
        FakeHttp.Response nodes = asAdmin("GET", "/api/nodes");
        assertJsonError(nodes, 503, null);
        assertTrue(nodes.body().contains("diskless-nodes"), nodes::toString);
        assertEquals(200, asAdmin("GET", "/api/leases").status, "no lease store: no leases, not an error");
    }

    @Test
    void badBodiesAre400NamingTheField() throws Exception {
        editor(new NodeEditor() {
            @Override
            public Node add(Map<String, ?> settings) throws NodeEditException {
                added.add(settings);
                throw new NodeEditException(NodeEditException.Reason.INVALID, "mac", "not a MAC address");
            }

            @Override
            public Node change(String name, Map<String, ?> settings) throws NodeEditException {
                throw new NodeEditException(NodeEditException.Reason.UNKNOWN, "name", "no node named " + name);
            }

            @Override
            public void remove(String name) throws NodeEditException {
                throw new NodeEditException(NodeEditException.Reason.UNKNOWN, "name", "no node named " + name);
            }
        });
        Map<String, String> bodies = new HashMap<>();
        bodies.put("{\"name\": ", "body");
        bodies.put("", "body");
        bodies.put("[1, 2]", "body");
        bodies.put("\"pc01\"", "body");
        bodies.put("{\"name\": \"pc01\", \"colour\": \"red\"}", "colour");
        bodies.put("{\"name\": \"pc01\", \"architecture\": \"x86\"}", "architecture");
        bodies.put("{\"name\": \"pc01\", \"bootFiles\": [\"vmlinuz\"]}", "bootFiles");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            assertJsonError(send(new FakeHttp.Request("POST", "/api/nodes").header("Authorization", ADMIN)
                    .body(body.getKey())), 400, body.getValue());
        }
        assertTrue(added.isEmpty(), "nothing reached the editor: " + added);

        FakeHttp.Request huge = new FakeHttp.Request("POST", "/api/nodes").header("Authorization", ADMIN)
                .body("{\"name\": \"" + "x".repeat(DashboardServlet.MAX_BODY_BYTES) + "\"}");
        assertJsonError(send(huge), 400, "body");
        huge.contentLength = -1; // chunked: the length shows while reading
        assertJsonError(send(huge), 400, "body");

        assertJsonError(send(new FakeHttp.Request("POST", "/api/nodes").header("Authorization", ADMIN)
                .body("{\"name\": \"pc01\", \"mac\": \"zz\"}")), 400, "mac");
        assertJsonError(send(new FakeHttp.Request("PUT", "/api/nodes/pc02").header("Authorization", ADMIN)
                .body("{\"mac\": \"52:54:00:00:00:01\"}")), 404, "name");
        assertJsonError(asAdmin("DELETE", "/api/nodes/pc02"), 404, "name");
    }

    @Test
    void withoutCredentials401WithTheChallengeAndNoLoginTried() throws Exception {
        FakeHttp.Response response = send(new FakeHttp.Request("GET", "/api/nodes"));
        assertJsonError(response, 401, null);
        assertEquals("Basic realm=\"karaf\", charset=\"UTF-8\"", response.headers.get("WWW-Authenticate"));
        assertTrue(tried.isEmpty());
    }

    @Test
    void theEventStreamAnswersAsServerSentEvents() throws Exception {
        FakeHttp.Response events = asAdmin("GET", "/api/events");
        assertEquals(200, events.status);
        assertEquals("text/event-stream; charset=utf-8", events.contentType);
        assertEquals(": connected\n\n", events.body());
        assertEquals(1, stream.listenerCount());
    }

    @Test
    void pastTheListenerCapTheEventStreamIs503() throws Exception {
        for (int i = 0; i < BootStream.MAX_LISTENERS; i++) {
            assertEquals(": connected\n\n", asAdmin("GET", "/api/events").body());
        }
        FakeHttp.Response refused = asAdmin("GET", "/api/events");
        assertJsonError(refused, 503, null);
        assertEquals(1, refused.completed, "its request is completed at once");
        assertEquals(BootStream.MAX_LISTENERS, stream.listenerCount());
    }

    @Test
    void anAddressThatGuessesIsLockedOutWith429AndRetryAfterWithoutALogin() throws Exception {
        DashboardServlet guarded = servlet(Map.of("login.failures", "3", "login.backoff", "120"));
        FakeHttp.Request guess = new FakeHttp.Request("GET", "/api/boots").from("198.51.100.7")
                .header("Authorization", AccessTest.basic("alice:guess"));
        for (int i = 0; i < 3; i++) {
            assertJsonError(send(guarded, guess), 401, null);
        }
        assertEquals(3, tried.size());
        FakeHttp.Request right = new FakeHttp.Request("GET", "/api/leases").from("198.51.100.7")
                .header("Authorization", ADMIN);
        FakeHttp.Response locked = send(guarded, right);
        assertJsonError(locked, 429, null);
        assertEquals("120", locked.headers.get("Retry-After"));
        assertTrue(locked.body().contains("try again in 120 s"), locked::toString);
        assertEquals(3, tried.size(), "no login tried while locked out");
        assertEquals(200, send(guarded, right.from("198.51.100.8")).status, "another address logs in");
    }

    @Test
    void aChangedConfigurationKeepsTheFailuresCounted() throws Exception {
        WebAccess rules = access(Map.of("login.failures", "3"));
        DashboardServlet guarded = new DashboardServlet(rules, stream);
        FakeHttp.Request guess = new FakeHttp.Request("GET", "/api/leases").from("198.51.100.9")
                .header("Authorization", AccessTest.basic("alice:guess"));
        assertJsonError(send(guarded, guess), 401, null);
        assertJsonError(send(guarded, guess), 401, null);
        rules.modified(Map.of("login.failures", "3", "login.backoff", "60"));
        assertJsonError(send(guarded, guess), 401, null);
        FakeHttp.Response locked = send(guarded, guess);
        assertJsonError(locked, 429, null);
        assertEquals("60", locked.headers.get("Retry-After"), "the third failure counted, under the new back-off");
    }

    @Test
    void aFloodOfGuessesFromThousandsOfAddressesLogsAFewLinesAndAsksJaasABoundedNumberOfTimes() throws Exception {
        DashboardServlet guarded = servlet(Map.of("login.clients", "200"));
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        int requests = 0;
        try {
            for (int i = 0; i < 4_000; i++) {
                String address = "10.9." + (i >> 8) + "." + (i & 255);
                for (int attempt = 0; attempt < 6; attempt++) {
                    requests++;
                    int status = send(guarded, new FakeHttp.Request("GET", "/api/boots").from(address)
                            .header("Authorization", AccessTest.basic("alice:guess" + attempt))).status;
                    assertTrue(status == 401 || status == 429, () -> address + ": " + status);
                }
            }
        } finally {
            System.setErr(stderr);
        }
        List<String> lines = logged.toString(StandardCharsets.UTF_8).lines().toList();
        long lockoutLines = lines.stream().filter(l -> l.contains("Locked out logins from")).count();
        assertEquals(1, lockoutLines, () -> "one line a minute:\n" + String.join("\n", lines));
        assertTrue(lines.size() <= 3, () -> "a few lines for " + 24_000 + " requests:\n" + String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("Locked out logins from 10.9.0.0 for 30 s after 5 failed")),
                () -> String.join("\n", lines));
        // 200 addresses with 5 tries each, then the shared entry's 5: the rest never reach JAAS.
        assertEquals(200 * 5 + 5, tried.size(), "logins tried of " + requests);
    }

    @Test
    void aRefusedConfigurationAtTheStartAnswers503AndALaterOneKeepsTheRulesInForce() throws Exception {
        DashboardServlet refused = servlet(Map.of("login.failures", "0"));
        FakeHttp.Response response = send(refused, new FakeHttp.Request("GET", "/api/boots")
                .header("Authorization", ADMIN));
        assertJsonError(response, 503, null);
        assertTrue(response.body().contains("etc/org.diskless.web.cfg"), response::toString);
        assertTrue(tried.isEmpty());

        WebAccess rules = access(Map.of());
        DashboardServlet changing = new DashboardServlet(rules, stream);
        rules.modified(Map.of("role", "operator"));
        assertJsonError(send(changing, new FakeHttp.Request("GET", "/api/boots").header("Authorization", ADMIN)),
                403, null);
        rules.modified(Map.of("role", "admin", "login.backoff", "10", "login.backoff.max", "5"));
        FakeHttp.Response stillOperator = send(changing, new FakeHttp.Request("GET", "/api/boots")
                .header("Authorization", ADMIN));
        assertJsonError(stillOperator, 403, null);
        assertTrue(stillOperator.body().contains("'operator'"), "the previous settings keep serving");
    }
}

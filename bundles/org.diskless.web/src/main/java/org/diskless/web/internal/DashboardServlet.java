package org.diskless.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.servlet.AsyncContext;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.network.AddressPools;
import org.diskless.api.network.BootNetworks;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.nodes.NodeEditException;
import org.diskless.api.nodes.NodeEditor;
import org.diskless.api.stats.TransfersInFlight;
import org.diskless.api.timeline.BootHistory;
import org.diskless.api.timeline.RecordedBoot;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The JSON API ({@code /diskless/api/…}) and the dashboard page ({@code /diskless/}) on the
 * container's HTTP service, every request checked against the realm first ({@link Access}); the
 * live stream is {@link BootStream}'s.
 */
@Component(service = Servlet.class,
        property = {"osgi.http.whiteboard.servlet.pattern=" + DashboardServlet.ROOT + "/*",
                "osgi.http.whiteboard.servlet.name=diskless-web",
                "osgi.http.whiteboard.servlet.asyncSupported=true"})
public final class DashboardServlet extends HttpServlet {

    static final String ROOT = "/diskless";
    static final String API = "/api";
    /** A node is a few hundred bytes of JSON: a request body beyond this is refused unread. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** RFC 6585; Servlet 4 has no constant for it. */
    static final int TOO_MANY_REQUESTS = 429;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServlet.class);
    private static final Map<String, String> PAGES = Map.of(
            "/index.html", "text/html; charset=utf-8",
            "/dashboard.css", "text/css; charset=utf-8",
            "/dashboard.js", "text/javascript; charset=utf-8",
            "/openapi.yaml", "application/yaml; charset=utf-8");

    private final transient LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final transient WebAccess access;
    private final transient BootStream stream;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodes;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeEditor editor;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootHistory history;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LeaseStore leases;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootNetworks networks;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AddressPools pools;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<TransfersInFlight> transfers = List.of();

    @Activate
    public DashboardServlet(@Reference WebAccess access, @Reference BootStream stream) {
        this.access = access;
        this.stream = stream;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        Access rules = access.rules().orElse(null);
        if (rules == null) {
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, null, WebSettings.FILE
                    + " was refused: karaf.log names the key to fix");
            return;
        }
        String client = request.getRemoteAddr();
        Access.Verdict verdict = rules.decide(client, request.getHeader("Authorization"));
        verdict.failure().filter(FailedLogins.Failure::lockedOut).ifPresent(lockout -> throttle.warn(LOG, "lockout",
                "Locked out logins from {} for {} s after {} failed logins (etc/{}.cfg: login.*); until then its"
                        + " requests get 429 and no password is tried", Printable.of(lockout.entry(), 64),
                lockout.backoff().toSeconds(), lockout.failures(), WebSettings.PID));
        switch (verdict.decision()) {
            case UNAUTHENTICATED -> {
                throttle.info(LOG, "401", "Refused a request to {} without valid credentials of realm {}"
                        + " (from {})", Printable.of(request.getRequestURI(), 200), rules.realm(),
                        Printable.of(client, 64));
                response.setHeader("WWW-Authenticate", Credentials.challenge(rules.realm()));
                error(response, HttpServletResponse.SC_UNAUTHORIZED, null,
                        "log in as a user of Karaf's realm '" + rules.realm() + "' (etc/users.properties)");
                return;
            }
            case LOCKED_OUT -> {
                long seconds = Math.max(1, (verdict.retryAfter().toMillis() + 999) / 1000);
                response.setHeader("Retry-After", Long.toString(seconds));
                error(response, TOO_MANY_REQUESTS, null, "too many failed logins from this address: try again in "
                        + seconds + " s");
                return;
            }
            case FORBIDDEN -> {
                error(response, HttpServletResponse.SC_FORBIDDEN, null,
                        "this user lacks the role '" + rules.role() + "' (etc/users.properties)");
                return;
            }
            case ALLOWED -> {
                // served below
            }
        }
        try {
            route(request, response);
        } catch (BadRequest e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, e.field(), e.getMessage());
        } catch (NodeEditException e) {
            int status = switch (e.reason()) {
                case INVALID -> HttpServletResponse.SC_BAD_REQUEST;
                case TAKEN -> HttpServletResponse.SC_CONFLICT;
                case UNKNOWN -> HttpServletResponse.SC_NOT_FOUND;
            };
            error(response, status, e.key(), e.getMessage());
        } catch (Unavailable e) {
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, null, e.getMessage());
        } catch (RuntimeException e) {
            throttle.warn(LOG, "500", "The web API failed on {} {}", request.getMethod(),
                    Printable.of(request.getRequestURI(), 200), e);
            error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, null, "internal error; karaf.log says more");
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response)
            throws IOException, BadRequest, NodeEditException, Unavailable {
        String path = Optional.ofNullable(request.getPathInfo()).orElse("");
        String method = request.getMethod();
        if (path.isEmpty()) {
            response.sendRedirect(request.getContextPath() + ROOT + "/");
            return;
        }
        if (!path.startsWith(API + "/")) {
            page(path.equals("/") ? "/index.html" : path, method, response);
            return;
        }
        String[] parts = path.substring(API.length() + 1).split("/", -1);
        switch (parts[0]) {
            case "nodes" -> nodes(parts, method, request, response);
            case "boots" -> only("GET", method, response, () -> json(response, 200, tiles()));
            case "leases" -> only("GET", method, response, () -> json(response, 200, leases()));
            case "transfers" -> only("GET", method, response, () -> json(response, 200, Json.transfers(transfers)));
            case "events" -> only("GET", method, response, () -> events(request, response));
            default -> error(response, HttpServletResponse.SC_NOT_FOUND, null, "no such API: /diskless/api/"
                    + Printable.of(parts[0], 64) + " (see /diskless/openapi.yaml)");
        }
    }

    private void nodes(String[] parts, String method, HttpServletRequest request, HttpServletResponse response)
            throws IOException, BadRequest, NodeEditException, Unavailable {
        if (parts.length == 1 || (parts.length == 2 && parts[1].isEmpty())) {
            switch (method) {
                case "GET" -> json(response, 200, Json.nodes(directory().nodes()));
                case "POST" -> {
                    Node added = editor().add(Json.nodeSettings(Json.parse(body(request))));
                    response.setHeader("Location", ROOT + API + "/nodes/" + added.name());
                    json(response, HttpServletResponse.SC_CREATED, Json.node(added));
                }
                default -> methodNotAllowed(response, "GET, POST");
            }
            return;
        }
        String name = parts[1];
        if (parts.length == 2) {
            switch (method) {
                case "GET" -> json(response, 200, Json.node(node(name)));
                case "PUT" -> {
                    Map<String, Object> settings = Json.nodeSettings(Json.parse(body(request)));
                    settings.putIfAbsent("name", name);
                    json(response, 200, Json.node(editor().change(name, settings)));
                }
                case "DELETE" -> {
                    editor().remove(name);
                    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                }
                default -> methodNotAllowed(response, "GET, PUT, DELETE");
            }
            return;
        }
        if (parts.length == 3 && parts[2].equals("boots")) {
            only("GET", method, response, () -> json(response, 200, boots(node(name))));
            return;
        }
        error(response, HttpServletResponse.SC_NOT_FOUND, null, "no such API (see /diskless/openapi.yaml)");
    }

    private Node node(String name) throws NodeEditException, Unavailable {
        return directory().byName(name).orElseThrow(() -> new NodeEditException(NodeEditException.Reason.UNKNOWN,
                "name", "no node named '" + Printable.of(name, 64) + "'"));
    }

    /** Every node's tile, in name order. */
    private JsonArray tiles() throws Unavailable {
        JsonArray tiles = new JsonArray();
        for (Node node : directory().nodes()) {
            tiles.add(Json.tile(node, lastBoot(node.hardwareAddress())));
        }
        return tiles;
    }

    private Optional<RecordedBoot> lastBoot(HardwareAddress client) {
        BootHistory boots = history;
        return boots == null ? Optional.empty() : boots.lastBoot(client);
    }

    private JsonObject boots(Node node) {
        JsonObject json = new JsonObject();
        json.add("node", Json.node(node));
        json.add("tile", Json.tile(node, lastBoot(node.hardwareAddress())));
        JsonArray boots = new JsonArray();
        BootHistory recorded = history;
        List<RecordedBoot> kept = recorded == null ? List.of() : recorded.boots(node.hardwareAddress());
        kept.forEach(boot -> boots.add(Json.boot(node, boot)));
        json.add("boots", boots);
        return json;
    }

    private JsonArray leases() {
        BootNetworks served = networks;
        LeaseStore store = leases;
        Collection<org.diskless.api.leases.Lease> all = store == null ? List.of() : store.leases();
        AddressPools usage = pools;
        return Json.leasesByNetwork(served == null ? List.of() : served.networks(),
                usage == null ? List.of() : usage.pools(), all, Instant.now());
    }

    private void events(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext context = request.startAsync();
        // The stream's first write sends these headers; refused, nothing was sent yet but the error.
        if (!stream.listen(context)) {
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, null, "the live stream has "
                    + BootStream.MAX_LISTENERS + " listeners already: close a dashboard, or poll /diskless/api/boots");
            context.complete();
        }
    }

    private void page(String path, String method, HttpServletResponse response) throws IOException {
        String type = PAGES.get(path);
        if (type == null) {
            error(response, HttpServletResponse.SC_NOT_FOUND, null, "no such page");
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            methodNotAllowed(response, "GET");
            return;
        }
        byte[] content;
        try (InputStream in = DashboardServlet.class.getResourceAsStream("/web" + path)) {
            if (in == null) {
                error(response, HttpServletResponse.SC_NOT_FOUND, null, "no such page");
                return;
            }
            content = in.readAllBytes();
        }
        response.setContentType(type);
        response.setHeader("Content-Security-Policy", "default-src 'self'");
        response.setContentLength(content.length);
        if (method.equals("GET")) {
            response.getOutputStream().write(content);
        }
    }

    private NodeDirectory directory() throws Unavailable {
        NodeDirectory directory = nodes;
        if (directory == null) {
            throw new Unavailable("the node inventory is not running (feature:install diskless-nodes)");
        }
        return directory;
    }

    private NodeEditor editor() throws Unavailable {
        NodeEditor nodeEditor = editor;
        if (nodeEditor == null) {
            throw new Unavailable("the node inventory is not running (feature:install diskless-nodes)");
        }
        return nodeEditor;
    }

    static String body(HttpServletRequest request) throws IOException, BadRequest {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw new BadRequest("body", "larger than " + MAX_BODY_BYTES + " bytes");
        }
        byte[] bytes = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequest("body", "larger than " + MAX_BODY_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private interface Answer {
        void send() throws IOException, BadRequest, NodeEditException, Unavailable;
    }

    private static void only(String allowed, String method, HttpServletResponse response, Answer answer)
            throws IOException, BadRequest, NodeEditException, Unavailable {
        if (method.equals(allowed)) {
            answer.send();
        } else {
            methodNotAllowed(response, allowed);
        }
    }

    private static void methodNotAllowed(HttpServletResponse response, String allowed) throws IOException {
        response.setHeader("Allow", allowed);
        error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method", "use " + allowed);
    }

    static void json(HttpServletResponse response, int status, JsonElement json) throws IOException {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static void error(HttpServletResponse response, int status, String field, String message)
            throws IOException {
        json(response, status, Json.error(field, message));
    }

    /** A service the request needs is not running: 503 saying which feature brings it. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }
}

package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.diskless.itests.AdminCurl.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JSON API and the dashboard on the admin interface (feature diskless-web, booted by default),
 * driven with curl from the server's own namespace, where it listens on 127.0.0.1:8181 only:
 * nothing without the credentials of a user of Karaf's realm holding the role admin, and a node
 * added through the API is a node file in etc/ as with nodes:add.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    static final String BASE = AdminCurl.BASE;
    static final String ADMIN = "webadmin";
    static final String ADMIN_PASSWORD = "dashboard-" + DisklessServer.unique("pw", "");
    private static final String VIEWER = "webviewer";
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final String BOOTED = "dash-node01";
    private static final String BOOTED_MAC = "52:54:00:d1:5d:01";
    private static final String BROKEN = "dash-broken";
    private static final String MISSING_KERNEL = "images/missing-vmlinuz";
    /** Software emulation on a shared 2-core machine: a boot takes 25–45 s here; this bounds a stuck one. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(240);
    /** The browser watches the whole boot: software emulation on a shared machine takes minutes. */
    private static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(420);

    /**
     * As an operator allows a login (the distribution ships no password): users in
     * etc/users.properties, which the realm reads at each login, so no restart.
     */
    @BeforeAll
    static void usersAndTheAdminInterface() throws IOException {
        Files.writeString(server.etc().resolve("users.properties"), "\n" + ADMIN + " = " + ADMIN_PASSWORD
                + ",_g_:admingroup\n" + VIEWER + " = " + ADMIN_PASSWORD + ",viewer\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Optional<Answer> up = poll(Duration.ofSeconds(90), Duration.ofMillis(500), () -> curl(null, "GET", "/api/nodes",
                null), a -> a.status() == 401);
        assertTrue(up.isPresent(), () -> "the admin interface never answered on " + BASE + ":\n"
                + curl(null, "GET", "/api/nodes", null) + "\n" + server.shell("feature:list -i | grep -i web"));
    }

    /** curl in the server's namespace; {@code user} null for no credentials. */
    static Answer curl(String user, String method, String path, String json) {
        return curl(user, ADMIN_PASSWORD, method, path, json);
    }

    static Answer curl(String user, String password, String method, String path, String json) {
        return new AdminCurl(server).request(user, password, method, path, json);
    }

    @Test
    @Order(1)
    void nothingIsOpenWithoutTheCredentialsOfAUserOfTheRealm() {
        List<String> paths = List.of("/api/nodes", "/api/boots", "/api/leases", "/api/transfers", "/api/events", "/",
                "/index.html", "/openapi.yaml", "/api/nodes/nosuch/boots");
        for (String path : paths) {
            Answer anonymous = curl(null, "GET", path, null);
            assertEquals(401, anonymous.status(), () -> path + ": " + anonymous);
            assertTrue(anonymous.headers().contains("WWW-Authenticate: Basic realm=\"karaf\""), anonymous::toString);
        }
        // Fewer wrong passwords than lock the address out (login.failures; WebLoginLimitIT has the lockout).
        for (String path : paths.subList(0, 3)) {
            Answer wrongPassword = curl(ADMIN, "wrong", "GET", path, null);
            assertEquals(401, wrongPassword.status(), () -> path + ": " + wrongPassword);
        }
        Answer post = curl(null, "POST", "/api/nodes", "{\"name\":\"sneaky\",\"mac\":\"52:54:00:00:99:01\"}");
        assertEquals(401, post.status(), post::toString);
        assertFalse(Files.exists(server.etc().resolve("org.diskless.node-sneaky.cfg")));
    }

    @Test
    @Order(2)
    void aUserWithoutTheAdminRoleIsForbidden() {
        Answer viewer = curl(VIEWER, "GET", "/api/nodes", null);
        assertEquals(403, viewer.status(), viewer::toString);
        assertTrue(viewer.body().contains("'admin'"), viewer::toString);
    }

    @Test
    @Order(3)
    void theApiAddsChangesAndRemovesANodeAsItsFileInEtc() {
        Path file = server.etc().resolve("org.diskless.node-web01.cfg");
        Answer added = curl(ADMIN, "POST", "/api/nodes", "{\"name\":\"web01\",\"mac\":\"52:54:00:00:99:02\","
                + "\"address\":\"198.18.5.77\",\"group\":\"rack1\",\"bootFiles\":{\"kernel\":\"images/vmlinuz\","
                + "\"append\":\"console=ttyS0,115200\"}}");
        assertEquals(201, added.status(), added::toString);
        assertTrue(added.headers().contains("Location: /diskless/api/nodes/web01"), added::toString);
        // FileInstall rewrites the file in its own layout a moment later, emptying it on the way: read it settled.
        Optional<String> written = poll(SETTLE, Duration.ofMillis(200), () -> read(file),
                text -> text.contains("mac = \"52:54:00:00:99:02\"") && text.contains("\"append=console=ttyS0,115200\""));
        assertTrue(written.isPresent(), () -> file + ":\n" + read(file));
        assertTrue(server.shell("nodes:list").contains("web01"), "the console sees the node the API added");
        Answer listed = curl(ADMIN, "GET", "/api/nodes", null);
        assertTrue(listed.body().contains("\"name\":\"web01\"") && listed.body().contains("\"group\":\"rack1\""),
                listed::toString);

        Answer changed = curl(ADMIN, "PUT", "/api/nodes/web01", "{\"mac\":\"52:54:00:00:99:02\",\"group\":\"rack2\"}");
        assertEquals(200, changed.status(), changed::toString);
        Optional<String> rewritten = poll(SETTLE, Duration.ofMillis(300), () -> read(file),
                text -> text.contains("rack2"));
        assertTrue(rewritten.isPresent(), () -> "the change never reached " + file + ":\n" + read(file));
        assertTrue(curl(ADMIN, "GET", "/api/nodes/web01", null).body().contains("\"group\":\"rack2\""));

        Answer removed = curl(ADMIN, "DELETE", "/api/nodes/web01", null);
        assertEquals(204, removed.status(), removed::toString);
        assertFalse(Files.exists(file), file + " should be gone with the node");
        assertEquals(404, curl(ADMIN, "GET", "/api/nodes/web01", null).status());
    }

    @Test
    @Order(4)
    void badInputIsRefusedWithTheFieldNamedAndNoStackTrace() {
        Answer badMac = curl(ADMIN, "POST", "/api/nodes", "{\"name\":\"web02\",\"mac\":\"not-a-mac\"}");
        assertEquals(400, badMac.status(), badMac::toString);
        assertTrue(badMac.body().contains("\"field\":\"mac\""), badMac::toString);
        Answer notJson = curl(ADMIN, "POST", "/api/nodes", "{\"name\": ");
        assertEquals(400, notJson.status(), notJson::toString);
        assertTrue(notJson.body().contains("\"field\":\"body\""), notJson::toString);
        Answer unknownField = curl(ADMIN, "POST", "/api/nodes", "{\"name\":\"web02\",\"mac\":\"52:54:00:00:99:03\","
                + "\"colour\":\"red\"}");
        assertEquals(400, unknownField.status(), unknownField::toString);
        assertTrue(unknownField.body().contains("\"field\":\"colour\""), unknownField::toString);

        assertEquals(201, curl(ADMIN, "POST", "/api/nodes", "{\"name\":\"web03\",\"mac\":\"52:54:00:00:99:04\"}")
                .status());
        Answer sameMac = curl(ADMIN, "POST", "/api/nodes", "{\"name\":\"web04\",\"mac\":\"52:54:00:00:99:04\"}");
        assertEquals(409, sameMac.status(), sameMac::toString);
        assertTrue(sameMac.body().contains("\"field\":\"mac\"") && sameMac.body().contains("web03"), sameMac::toString);
        for (Answer answer : List.of(badMac, notJson, unknownField, sameMac)) {
            assertFalse(answer.body().contains("Exception") || answer.body().contains("\tat "), answer::toString);
        }
        assertFalse(Files.exists(server.etc().resolve("org.diskless.node-web02.cfg")));
        assertFalse(Files.exists(server.etc().resolve("org.diskless.node-web04.cfg")));
    }

    @Test
    @Order(5)
    void thePageAndTheApiDocumentAreServed() {
        Answer page = curl(ADMIN, "GET", "/", null);
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.headers().toLowerCase().contains("content-type: text/html"), page::toString);
        assertTrue(page.body().contains("Diskless boot dashboard"), page::toString);
        Answer document = curl(ADMIN, "GET", "/openapi.yaml", null);
        assertEquals(200, document.status(), document::toString);
        assertTrue(document.body().startsWith("openapi: 3"), document::toString);
        Answer tiles = curl(ADMIN, "GET", "/api/boots", null);
        assertTrue(tiles.body().contains("{\"name\":\"web03\",\"mac\":\"52:54:00:00:99:04\",\"stage\":\"waiting\"}"),
                tiles::toString);
    }

    /**
     * A real boot, watched in a real browser: the dashboard opened in headless Chromium (Selenium)
     * before qemu powers a node on shows, without a reload, the node's tile done once its kernel and
     * RAM disk were sent, and its waterfall with the files; a node whose kernel is missing from the
     * boot tree, asked for by a real TFTP client at the node's address, shows red with the reason.
     */
    @Test
    @Order(6)
    void theDashboardShowsARealPxeBootDoneAndAMissingFileRed() throws IOException {
        for (String tool : List.of("/usr/bin/chromium", "/usr/bin/chromedriver")) {
            assertTrue(Files.isExecutable(Path.of(tool)), () -> tool + " is needed: apt-get install"
                    + " --no-install-recommends chromium chromium-driver python3-selenium");
        }
        BootLan lan = BootLan.create(server);
        server.setProperty("org.diskless.loader.pxelinux.cfg", "append", "\"diskless.marker=dashboard\"");
        Answer node = curl(ADMIN, "POST", "/api/nodes", "{\"name\":\"" + BOOTED + "\",\"mac\":\"" + BOOTED_MAC
                + "\",\"group\":\"rack-a\",\"bootFiles\":{\"kernel\":\"" + BootLan.KERNEL + "\",\"initrd\":\""
                + BootLan.INITRD + "\",\"append\":\"console=ttyS0 panic=-1\"}}");
        assertEquals(201, node.status(), node::toString);
        Answer broken = curl(ADMIN, "POST", "/api/nodes", "{\"name\":\"" + BROKEN + "\",\"mac\":\"52:54:00:d1:5d:02\","
                + "\"address\":\"" + DisklessServer.CLIENT_IP + "\",\"group\":\"rack-b\",\"bootFiles\":{\"kernel\":\""
                + MISSING_KERNEL + "\"}}");
        assertEquals(201, broken.status(), broken::toString);
        lan.awaitGenerated("pxelinux.cfg/01-" + BOOTED_MAC.replace(':', '-'), "diskless.marker=dashboard console=ttyS0");

        Exec.Running browser = server.inServerNsAsync("/usr/bin/python3", BootLan.resource("/dashboard/watch_dashboard.py").toString(),
                BASE + "/", ADMIN, ADMIN_PASSWORD, BOOTED, BROKEN, Long.toString(BROWSER_TIMEOUT.toSeconds()));
        lan.boot("dashboard", BOOTED_MAC, BOOT_TIMEOUT, "-device", "e1000,netdev=n0,mac=" + BOOTED_MAC, "-boot", "n")
                .assertMarker("dashboard");
        Exec.Result missing = server.client("curl", "-sS", "tftp://" + DisklessServer.SERVER_IP + "/" + MISSING_KERNEL,
                "-o", server.clientDir().resolve("missing").toString());
        assertFalse(missing.ok(), missing::describe);
        Exec.Result watched = browser.await(BROWSER_TIMEOUT.plusSeconds(60));

        String seen = watched.stdout();
        assertTrue(watched.ok(), watched::describe);
        assertTrue(seen.contains("TILE " + BOOTED + " done\n"), () -> "the booted node's tile\n" + watched.describe());
        assertTrue(seen.contains("TILE " + BROKEN + " failed\n"), () -> "the broken node's tile\n" + watched.describe());
        for (String file : List.of("pxelinux.0", "ldlinux.c32", BootLan.KERNEL, BootLan.INITRD)) {
            assertTrue(seen.lines().anyMatch(l -> l.startsWith("ROW ") && l.contains("TFTP " + file + "|")
                    && l.matches(".*\\| ?[0-9.]+ (B|KiB|MiB) in [0-9.]+ s$")), () -> file + " with its size and duration"
                    + " in the waterfall\n" + watched.describe());
        }
        assertTrue(seen.lines().anyMatch(l -> l.startsWith("ROW row kernel|TFTP " + BootLan.KERNEL)),
                () -> "the kernel's bar\n" + watched.describe());
        assertTrue(seen.contains("REASON TFTP FILE_REFUSED: " + MISSING_KERNEL), () -> "the reason\n" + watched.describe());
        assertTrue(curl(ADMIN, "GET", "/api/nodes/" + BOOTED + "/boots", null).body()
                .contains("\"kind\":\"FILE_SENT\",\"client\""));
    }

    private static String read(Path file) {
        return BootLan.read(file);
    }
}

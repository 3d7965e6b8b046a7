package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.diskless.itests.DisklessServer.unique;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The boot root over HTTP from the running distribution, fetched by curl and wget from the client
 * namespace: whole files with their checksum, ranges, HEAD, resumed downloads, the errors, and the
 * feature taken out and put back on the live server. The last steps change the server, so the
 * steps run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpBootIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FEATURE_TIMEOUT = Duration.ofSeconds(30);
    /** Several MiB: large enough that a resumed download really starts in the middle. */
    private static final int SIZE = 5 * 1024 * 1024 + 17;
    private static String file;
    private static Path content;

    @BeforeAll
    static void serveAFile() {
        server.requireInClient("curl wget", "curl", "wget");
        file = unique("http-", ".img");
        content = server.randomFileInTftpboot("images/" + file, SIZE);
    }

    private static String url(String path) {
        return "http://" + SERVER_IP + ":8080/" + path;
    }

    @Test
    @Order(1)
    void curlGetsTheWholeFileAndHttpStatsSaysWhereItListens() {
        Path got = server.clientDir().resolve("curl-" + file);
        Exec.Result r = server.client(CLIENT_TIMEOUT, "curl", "-sS", "--fail", "-o", got.toString(),
                url("images/" + file));
        assertTrue(r.ok(), r::describe);
        assertEquals(DisklessServer.sha256(content), DisklessServer.sha256(got));
        String stats = server.shell("http:stats");
        assertTrue(stats.lines().anyMatch(l -> l.startsWith("Listening on") && l.trim().endsWith(":8080")), stats);
        assertTrue(DisklessServer.counter(stats, "files_sent") >= 1, stats);
        String services = server.shell("service:list org.diskless.api.boot.HttpBootEndpoint");
        assertTrue(services.contains("diskless.http.port = 8080"), services);
    }

    @Test
    @Order(2)
    void wgetGetsTheWholeFile() {
        Path got = server.clientDir().resolve("wget-" + file);
        Exec.Result r = server.client(CLIENT_TIMEOUT, "wget", "-q", "-O", got.toString(), url("images/" + file));
        assertTrue(r.ok(), r::describe);
        assertEquals(DisklessServer.sha256(content), DisklessServer.sha256(got));
    }

    @Test
    @Order(3)
    void curlGetsARangeAndHeadAnnouncesTheFile() throws IOException {
        Path got = server.clientDir().resolve("range-" + file);
        Exec.Result r = server.client(CLIENT_TIMEOUT, "curl", "-sS", "--fail", "-r", "1000000-1000999",
                "-o", got.toString(), "-w", "%{http_code}", url("images/" + file));
        assertTrue(r.ok(), r::describe);
        assertEquals("206", r.stdout().trim());
        assertArrayEquals(Arrays.copyOfRange(Files.readAllBytes(content), 1_000_000, 1_001_000),
                Files.readAllBytes(got));
        Exec.Result head = server.client(CLIENT_TIMEOUT, "curl", "-sS", "--fail", "-I", url("images/" + file));
        assertTrue(head.ok(), head::describe);
        String headers = head.stdout().toLowerCase(java.util.Locale.ROOT);
        assertTrue(headers.contains("content-length: " + SIZE), headers);
        assertTrue(headers.contains("accept-ranges: bytes"), headers);
        assertTrue(headers.contains("etag: "), headers);
    }

    @Test
    @Order(4)
    void curlAndWgetResumeAnInterruptedDownload() throws IOException {
        byte[] whole = Files.readAllBytes(content);
        Path byCurl = partial("resume-curl-", whole);
        Exec.Result curl = server.client(CLIENT_TIMEOUT, "curl", "-sS", "--fail", "-C", "-", "-o", byCurl.toString(),
                url("images/" + file));
        assertTrue(curl.ok(), curl::describe);
        assertEquals(DisklessServer.sha256(content), DisklessServer.sha256(byCurl));
        Path byWget = partial("resume-wget-", whole);
        Exec.Result wget = server.client(CLIENT_TIMEOUT, "wget", "-c", "-O", byWget.toString(), url("images/" + file));
        assertTrue(wget.ok(), wget::describe);
        assertTrue(wget.output().contains("206"), () -> "wget should have resumed with a 206:\n" + wget.describe());
        assertEquals(DisklessServer.sha256(content), DisklessServer.sha256(byWget));
    }

    @Test
    @Order(5)
    void aMissingFileIs404NamingNothingOfTheServerAndPostIs405() {
        Exec.Result missing = server.client(CLIENT_TIMEOUT, "curl", "-sS", "-w", "\n%{http_code}",
                url("images/no-such-" + file));
        assertTrue(missing.ok(), missing::describe);
        assertTrue(missing.stdout().trim().endsWith("404"), missing::describe);
        assertFalse(missing.stdout().contains(server.tftpboot().toString()), missing::describe);
        Exec.Result outside = server.client(CLIENT_TIMEOUT, "curl", "-sS", "--path-as-is", "-w", "\n%{http_code}",
                url("../etc/org.diskless.http.cfg"));
        assertTrue(outside.ok(), outside::describe);
        assertFalse(outside.stdout().contains("maxConnections"), outside::describe);
        assertTrue(outside.stdout().trim().matches("(?s).*\\b(403|400|404)$"), outside::describe);
        Exec.Result post = server.client(CLIENT_TIMEOUT, "curl", "-sS", "-X", "POST", "-d", "x", "-i",
                url("images/" + file));
        assertTrue(post.ok(), post::describe);
        assertTrue(post.stdout().startsWith("HTTP/1.1 405"), post::describe);
        assertTrue(post.stdout().toLowerCase(java.util.Locale.ROOT).contains("allow: get, head"), post::describe);
    }

    @Test
    @Order(6)
    void uninstallingTheFeatureStopsHttpAndInstallingItServesAgain() {
        long pid = server.karafPid();
        server.shell("feature:uninstall diskless-http");
        Optional<Exec.Result> refused = poll(FEATURE_TIMEOUT, Duration.ofMillis(500), HttpBootIT::headRequest,
                r -> !r.ok());
        assertTrue(refused.isPresent(), "HTTP still answers after feature:uninstall diskless-http");
        server.shell("feature:install diskless-http");
        Optional<Exec.Result> back = poll(FEATURE_TIMEOUT, Duration.ofMillis(500), HttpBootIT::headRequest,
                Exec.Result::ok);
        if (back.isEmpty()) {
            fail("HTTP did not come back within " + FEATURE_TIMEOUT.toSeconds() + " s of feature:install\n"
                    + headRequest().describe());
        }
        assertEquals(pid, server.karafPid(), "Karaf was restarted");
    }

    private static Exec.Result headRequest() {
        return server.client(CLIENT_TIMEOUT, "curl", "-sS", "--fail", "--max-time", "3", "-I", url("images/" + file));
    }

    /** A third of the file in the client's folder, as an interrupted download leaves it. */
    private static Path partial(String prefix, byte[] whole) {
        Path path = server.clientDir().resolve(prefix + file);
        try {
            Files.write(path, Arrays.copyOf(whole, whole.length / 3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }
}

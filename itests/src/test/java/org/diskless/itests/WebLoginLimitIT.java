package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

import org.diskless.itests.AdminCurl.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Password guessing on the admin interface is held back, with curl as the client: wrong passwords
 * are answered 401 until login.failures of them lock the address out, then 429 with Retry-After,
 * the right password included, with one log line naming the address and a counter in /metrics;
 * after the back-off the right password works and forgets the failures; a lockout that follows
 * lasts twice as long. Short back-offs here (etc/org.diskless.web.cfg) keep the test quick.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebLoginLimitIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final String ADMIN = "guarded";
    private static final String PASSWORD = "limit-" + DisklessServer.unique("pw", "");
    private static final String CFG = "org.diskless.web.cfg";
    private static final int FAILURES = 3;
    private static final int BACKOFF_SECONDS = 4;
    private static final AdminCurl curl = new AdminCurl(server);

    @BeforeAll
    static void aUserAndShortBackoffs() throws IOException {
        Files.writeString(server.etc().resolve("users.properties"), "\n" + ADMIN + " = " + PASSWORD
                + ",_g_:admingroup\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        long mark = server.logMark();
        server.setProperty(CFG, "login.failures", Integer.toString(FAILURES));
        server.setProperty(CFG, "login.backoff", Integer.toString(BACKOFF_SECONDS));
        server.setProperty(CFG, "login.backoff.max", "60");
        // Requests meanwhile: a change must not disturb them (no 'Could not obtain lock' from the container).
        Optional<String> updated = poll(Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
            curl.request(null, null, "GET", "/api/nodes", null);
            return server.logSince(mark).lines().filter(l -> l.contains("etc/" + CFG + " updated")
                    && l.contains(FAILURES + " failed logins within") && l.contains("out for " + BACKOFF_SECONDS
                    + " s")).findFirst().orElse(null);
        }, line -> line != null);
        assertTrue(updated.isPresent(), () -> "the new limits never took effect:\n" + server.logSince(mark));
        assertFalse(server.logSince(mark).contains("\tat "), () -> "a stack trace:\n" + server.logSince(mark));
        Optional<Answer> ok = poll(Duration.ofSeconds(90), Duration.ofMillis(500),
                () -> curl.request(ADMIN, PASSWORD, "GET", "/api/nodes", null), a -> a.status() == 200);
        assertTrue(ok.isPresent(), "the admin interface never let the user in");
    }

    @Test
    @Order(1)
    void wrongPasswordsGet401ThenTheAddressIsLockedOutWith429AndTheRightPasswordWorksAfterTheBackoff() {
        long mark = server.logMark();
        for (int i = 1; i <= FAILURES; i++) {
            Answer wrong = curl.request(ADMIN, "guess" + i, "GET", "/api/nodes", null);
            assertEquals(401, wrong.status(), wrong::toString);
        }
        Answer locked = curl.request(ADMIN, PASSWORD, "GET", "/api/nodes", null);
        assertEquals(429, locked.status(), () -> "the right password waits too: " + locked);
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= BACKOFF_SECONDS, locked::toString);
        assertTrue(locked.body().contains("too many failed logins"), locked::toString);
        assertEquals(401, curl.request(null, null, "GET", "/api/nodes", null).status(),
                "without credentials: the challenge, no lockout");

        Optional<String> line = server.awaitLogLine(mark, Duration.ofSeconds(10), "Locked out logins from 127.0.0.1",
                "after " + FAILURES + " failed logins");
        assertTrue(line.isPresent(), () -> "no lockout line:\n" + server.logSince(mark));
        assertFalse(server.logSince(mark).contains("\tat "), () -> "a stack trace:\n" + server.logSince(mark));

        theRightPasswordWorksWithin(Duration.ofSeconds(BACKOFF_SECONDS + 10), "/api/nodes");
    }

    @Test
    @Order(2)
    void aLockoutThatFollowsWithoutASuccessLastsTwiceAsLong() {
        for (int i = 1; i <= FAILURES; i++) {
            assertEquals(401, curl.request(ADMIN, "guess" + i, "GET", "/api/boots", null).status());
        }
        Answer first = curl.request(ADMIN, "guess", "GET", "/api/boots", null);
        assertEquals(429, first.status(), first::toString);
        assertTrue(Long.parseLong(first.header("Retry-After")) <= BACKOFF_SECONDS, first::toString);
        Optional<Answer> free = poll(Duration.ofSeconds(BACKOFF_SECONDS + 10), Duration.ofMillis(500),
                () -> curl.request(ADMIN, "guess", "GET", "/api/boots", null), a -> a.status() != 429);
        assertTrue(free.isPresent());
        assertEquals(401, free.get().status(), "that was a failure again");
        for (int i = 2; i <= FAILURES; i++) {
            assertEquals(401, curl.request(ADMIN, "guess" + i, "GET", "/api/boots", null).status());
        }
        Answer second = curl.request(ADMIN, PASSWORD, "GET", "/api/boots", null);
        assertEquals(429, second.status(), second::toString);
        long retryAfter = Long.parseLong(second.header("Retry-After"));
        assertTrue(retryAfter > BACKOFF_SECONDS && retryAfter <= 2 * BACKOFF_SECONDS, second::toString);

        String metrics = server.inServerNs(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10",
                "http://127.0.0.1:9180/metrics").stdout();
        assertTrue(metrics.contains("diskless_web_login_lockouts_total 3.0")
                || metrics.contains("diskless_web_login_lockouts_total 3\n"), () -> "lockouts counted:\n" + metrics);

        theRightPasswordWorksWithin(Duration.ofSeconds(2 * BACKOFF_SECONDS + 10), "/api/boots");
    }

    /** Once the back-off has run out, the right password gets 200. */
    private static void theRightPasswordWorksWithin(Duration backoff, String path) {
        Optional<Answer> after = poll(backoff, Duration.ofMillis(500),
                () -> curl.request(ADMIN, PASSWORD, "GET", path, null), a -> a.status() != 429);
        assertTrue(after.isPresent(), "still locked out after the back-off");
        assertEquals(200, after.get().status(), after.get()::toString);
    }

    @Test
    @Order(3)
    void theLiveStreamAnswersOverTheNonBlockingWriter() {
        Exec.Result events = server.inServerNs(Duration.ofSeconds(20), "curl", "-sS", "-N", "--max-time", "3", "-u",
                ADMIN + ":" + PASSWORD, AdminCurl.BASE + "/api/events");
        assertEquals(28, events.exitCode(), () -> "curl should time out on the open stream: " + events.describe());
        assertTrue(events.stdout().startsWith(": connected\n\n"), events::describe);
    }
}

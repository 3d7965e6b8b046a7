package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.diskless.itests.DisklessServer.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TFTP feature taken out of and put back into the running container, and the Netty bundles
 * under it refreshed: TFTP stops and comes back, the TFTP codec it shares with MTFTP stays, Karaf
 * never restarts. The steps build on each other, so they run in order.
 *
 * <p>The distribution boots each protocol's feature on its own (not only the umbrella {@code
 * diskless}), so {@code feature:uninstall diskless-tftp} works on a fresh server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotInstallIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration FEATURE_TIMEOUT = Duration.ofSeconds(30);
    private static long karafPid;
    private static String file;
    private static Path content;

    @BeforeAll
    static void remember() {
        karafPid = server.karafPid();
        file = unique("hot-", ".bin");
        content = server.randomFileInTftpboot(file, 64 * 1024 + 1);
    }

    @Test
    @Order(1)
    void statsReportsTheAddressItListensOnAndItsCountersAreAService() {
        String stats = server.shell("tftp:stats");
        assertTrue(stats.lines().anyMatch(l -> l.startsWith("Listening on") && l.trim().endsWith(":69")),
                () -> "tftp:stats should report 'Listening on ...:69':\n" + stats);
        String services = server.shell("service:list org.diskless.api.stats.ProtocolStatistics");
        assertTrue(services.contains("TftpProtocolStatistics"), () -> "TFTP's counters as a service:\n" + services);
    }

    @Test
    @Order(2)
    void uninstallingDisklessTftpStopsTftpWithoutStoppingKaraf() {
        server.shell("feature:uninstall diskless-tftp");
        awaitFeatureGone("diskless-tftp");
        assertGetFails();
        assertSameKaraf();
        assertBundleActive("org.diskless.tftp.codec"); // MTFTP speaks it too: it is no part of the TFTP server's feature
    }

    @Test
    @Order(3)
    void installingDisklessTftpServesAgainWithoutRestart() {
        server.shell("feature:install diskless-tftp");
        awaitGetWorks();
        assertSameKaraf();
        String stats = server.shell("tftp:stats");
        assertTrue(stats.contains("Listening on"), () -> "tftp:stats after install:\n" + stats);
    }

    @Test
    @Order(4)
    void theUmbrellaFeatureInstallsAndRemovesTftpToo() {
        server.shell("feature:uninstall diskless-tftp");
        awaitFeatureGone("diskless-tftp");
        server.shell("feature:install diskless");
        awaitGetWorks();
        server.shell("feature:uninstall diskless");
        awaitFeatureGone("diskless-tftp");
        assertGetFails();
        server.shell("feature:install diskless-tftp");
        awaitGetWorks();
        assertSameKaraf();
    }

    /**
     * A refresh of the Netty bundles (what Karaf does when a feature brings a bundle they wire to)
     * gives them new class loaders, so the epoll classes load the native library a second time. If
     * that load failed, TFTP would come back on NIO and only be slower; the log and tftp:stats say
     * which transport it came back on.
     */
    @Test
    @Order(5)
    void refreshingTheNettyBundlesBringsTftpBackOnEpoll() {
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64"), "the native library is for Linux x86_64");
        long mark = server.logMark();
        server.shell("bundle:refresh io.netty.common");
        Optional<String> restarted = server.awaitLogLine(mark, FEATURE_TIMEOUT, "| TFTP transport:"); // not MTFTP's own line
        assertTrue(restarted.isPresent(), () -> "TFTP did not start again after the refresh:\n" + server.logSince(mark));
        assertTrue(restarted.get().contains("TFTP transport: epoll with UDP segmentation offload"), restarted.get());
        awaitGetWorks();
        String stats = server.shell("tftp:stats");
        assertTrue(stats.lines().anyMatch(l -> l.matches("Transport\\s+epoll with UDP segmentation offload")), stats);
        assertSameKaraf();
    }

    // ---------------------------------------------------------------- helpers

    private static void awaitFeatureGone(String feature) {
        Optional<String> gone = poll(FEATURE_TIMEOUT, Duration.ofMillis(500), () -> server.shell("feature:list -i"),
                list -> list.lines().noneMatch(l -> l.startsWith(feature + " ")));
        if (gone.isEmpty()) {
            fail(feature + " is still installed " + FEATURE_TIMEOUT.toSeconds() + " s later:\n"
                    + server.shell("feature:list -i"));
        }
    }

    private static Exec.Result get(Path got) {
        return server.client(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "3",
                "tftp://" + SERVER_IP + "/" + file, "-o", got.toString());
    }

    private static void assertGetFails() {
        Path got = server.clientDir().resolve(unique("should-fail-", ".bin"));
        Exec.Result r = get(got);
        assertFalse(r.ok(), () -> "TFTP still answers after its feature was uninstalled\n" + r.describe());
    }

    private static void awaitGetWorks() {
        Path got = server.clientDir().resolve(file);
        Exec.Result[] last = new Exec.Result[1];
        Optional<Exec.Result> works = poll(FEATURE_TIMEOUT, Duration.ofMillis(300), () -> last[0] = get(got),
                r -> r.ok() && Files.exists(got) && DisklessServer.sha256(got).equals(DisklessServer.sha256(content)));
        if (works.isEmpty()) {
            fail("TFTP did not serve " + file + " within " + FEATURE_TIMEOUT.toSeconds() + " s of the install\n"
                    + last[0].describe());
        }
    }

    private static void assertBundleActive(String symbolicName) {
        String bundles = server.shell("bundle:list -s -t 0");
        assertTrue(bundles.lines().anyMatch(l -> l.contains(" Active ") && l.trim().endsWith(" " + symbolicName)),
                () -> symbolicName + " should be Active:\n" + bundles);
    }

    private static void assertSameKaraf() {
        assertTrue(server.karafAlive(), "the Karaf process exited");
        assertEquals(karafPid, server.karafPid(), "Karaf was restarted");
    }
}

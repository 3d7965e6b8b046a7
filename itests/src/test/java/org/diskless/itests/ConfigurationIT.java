package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.diskless.itests.DisklessServer.unique;
import static org.diskless.itests.Transfers.KIB;
import static org.diskless.itests.Transfers.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * etc/org.diskless.tftp.cfg changed while the server runs: uploads switched on, a bad value refused
 * with a log line while the old settings keep serving, the port moved; and boot roots in
 * etc/org.diskless.files.cfg that must never be served, refused. Each test puts the file back
 * afterwards and waits until the server serves with the shipped settings again.
 */
class ConfigurationIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    /** How long a configuration change may take: FileInstall polls etc/ every second. */
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern SETTINGS = Pattern.compile("TftpSettings\\[[^\\]]*\\]");
    private static final String FILES_CFG = "org.diskless.files.cfg";

    /** The settings the server logged when it started with the shipped file. */
    private static String shippedSettings;
    private boolean configChanged;

    @BeforeAll
    static void rememberShippedSettings() {
        shippedSettings = lastLoggedSettings().orElseThrow(() -> new AssertionError(
                "karaf.log has no 'TftpSettings[...]' line after start:\n" + server.logSince(0)));
    }

    @AfterEach
    void putTheShippedConfigurationBack() {
        if (!configChanged) {
            return;
        }
        configChanged = false;
        server.restoreTftpConfig();
        Optional<String> settled = poll(APPLY_TIMEOUT, Duration.ofMillis(250),
                () -> lastLoggedSettings().orElse(""), shippedSettings::equals);
        if (settled.isEmpty()) {
            fail("after restoring etc/org.diskless.tftp.cfg the server did not log its shipped settings again within "
                    + APPLY_TIMEOUT.toSeconds() + " s\n  expected " + shippedSettings + "\n  last     "
                    + lastLoggedSettings().orElse("(none)"));
        }
        awaitGetWorks(69);
    }

    // ---------------------------------------------------------------- uploads

    @Test
    void uploadIsRefusedWithAccessViolationByDefault() {
        String name = unique("refused-", ".bin");
        Path local = DisklessServer.randomFile(server.clientDir().resolve(name), 10 * KIB);
        Exec.Result r = put(local, name);
        assertTrue(r.output().contains("Error code 2"), () -> "expected 'Error code 2' (access violation)\n" + r.describe());
        assertFalse(Files.exists(server.tftpboot().resolve(name)), "a refused upload must not create the file");
    }

    @Test
    void uploadSucceedsOnceAllowWriteIsTrueAndStoresTheExactBytes() {
        String name = unique("upload-", ".bin");
        Path local = DisklessServer.randomFile(server.clientDir().resolve(name), 100 * KIB + 3);
        changeConfig("allowWrite", "true");
        Exec.Result accepted = putUntilAccepted(local, name);
        assertSameBytes(local, server.tftpboot().resolve(name), accepted);
    }

    @Test
    void secondUploadOfTheSameNameIsRefusedWithFileExistsAndLeavesTheFirstIntact() throws IOException {
        String name = unique("twice-", ".bin");
        Path first = DisklessServer.randomFile(server.clientDir().resolve(name), 20 * KIB);
        Path second = DisklessServer.randomFile(server.clientDir().resolve("second-" + name), 30 * KIB);
        changeConfig("allowWrite", "true");
        Exec.Result accepted = putUntilAccepted(first, name);
        Set<String> before = filesUnder(server.tftpboot());

        Exec.Result r = put(second, name);

        assertTrue(r.output().contains("Error code 6"), () -> "expected 'Error code 6' (file exists)\n" + r.describe());
        assertSameBytes(first, server.tftpboot().resolve(name), accepted);
        assertEquals(before, filesUnder(server.tftpboot()), "a refused upload must leave no file behind");
    }

    @Test
    void uploadReplacesAnExistingFileWhenAllowOverwriteIsTrue() {
        String name = unique("overwrite-", ".bin");
        Path original = server.randomFileInTftpboot(name, 20 * KIB);
        Path replacement = DisklessServer.randomFile(server.clientDir().resolve(name), 30 * KIB + 5);
        assertNotEquals(DisklessServer.sha256(original), DisklessServer.sha256(replacement));
        changeConfig("allowWrite", "true");
        changeConfig("allowOverwrite", "true");
        Exec.Result accepted = putUntilAccepted(replacement, name);
        assertSameBytes(replacement, server.tftpboot().resolve(name), accepted);
    }

    // ---------------------------------------------------------------- a bad value

    @Test
    void invalidValueIsRefusedWithALogLineNamingTheKeyAndTransfersKeepWorking() {
        long mark = server.logMark();
        changeConfig("maxBlockSize", "huge");
        Optional<String> refused = server.awaitLogLine(mark, APPLY_TIMEOUT, "Refused etc/org.diskless.tftp.cfg",
                "'maxBlockSize = huge'");
        assertTrue(refused.isPresent(), () -> "no 'Refused etc/org.diskless.tftp.cfg: 'maxBlockSize = huge'' line in karaf.log within "
                + APPLY_TIMEOUT.toSeconds() + " s; logged since the change:\n" + server.logSince(mark));

        String name = unique("after-refusal-", ".bin");
        Path file = server.randomFileInTftpboot(name, 200 * KIB);
        Path got = server.clientDir().resolve(name);
        Exec.Result r = server.client("curl", "-sS", "--max-time", "30", "--tftp-blksize", "1428",
                "tftp://" + SERVER_IP + "/" + name, "-o", got.toString());
        assertSameBytes(file, got, r);
    }

    // ---------------------------------------------------------------- the port

    @Test
    void changingThePortTo6969MovesTheServerThereAndOffPort69() {
        changeConfig("port", "6969");
        awaitGetWorks(6969);

        String name = unique("old-port-", ".bin");
        server.randomFileInTftpboot(name, 1000);
        Path got = server.clientDir().resolve(name);
        Exec.Result r = server.client(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "3",
                "tftp://" + SERVER_IP + ":69/" + name, "-o", got.toString());
        assertFalse(r.ok(), () -> "port 69 should no longer answer once the port is 6969\n" + r.describe());
    }

    @Test
    void movingToOneAddressOnTheSamePortServesThere() {
        long mark = server.logMark();
        changeConfig("address", SERVER_IP);
        Optional<String> listening = server.awaitLogLine(mark, APPLY_TIMEOUT, "TFTP server listening on /" + SERVER_IP + ":69");
        assertTrue(listening.isPresent(), () -> "the server did not move to " + SERVER_IP + ":69:\n" + server.logSince(mark));
        awaitGetWorks(69);
    }

    @Test
    void anAddressThisHostLacksIsSaidToBeSoAndTheOldAddressKeepsServing() {
        long mark = server.logMark();
        changeConfig("address", "192.0.2.99");
        Optional<String> refused = server.awaitLogLine(mark, APPLY_TIMEOUT, "192.0.2.99 is not an address of this host");
        assertTrue(refused.isPresent(), () -> "no line saying 192.0.2.99 is not this host's:\n" + server.logSince(mark));
        assertFalse(server.logSince(mark).contains("CAP_NET_BIND_SERVICE"), () -> server.logSince(mark));
        awaitGetWorks(69);
    }

    // ---------------------------------------------------------------- the boot root

    /**
     * An empty root was once taken as the working directory: the Karaf base, whose etc/host.key (the
     * console's SSH host key) any client could then fetch. Each refused root leaves tftpboot serving.
     */
    @Test
    void anEmptyMissingOrServerOwnRootIsRefusedAndTftpbootKeepsServing() {
        try {
            for (String root : List.of("", "/nonexistent", ".")) {
                long mark = server.logMark();
                server.setProperty(FILES_CFG, "root", root);
                String shown = root.isEmpty() ? "'root' (not set)" : "'root = " + root + "'";
                Optional<String> refused = server.awaitLogLine(mark, APPLY_TIMEOUT, "Refused etc/org.diskless.files.cfg",
                        shown);
                assertTrue(refused.isPresent(), () -> "no 'Refused etc/org.diskless.files.cfg ... root = " + root
                        + "' line in karaf.log; logged since the change:\n" + server.logSince(mark));
                awaitGetWorks(69);
                Path got = server.clientDir().resolve(unique("host-key-", ".got"));
                Exec.Result r = server.client(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "3",
                        "tftp://" + SERVER_IP + "/etc/host.key", "-o", got.toString());
                assertFalse(r.ok() && Files.exists(got), () -> "root = " + root + " served etc/host.key\n" + r.describe());
            }
        } finally {
            server.setProperty(FILES_CFG, "root", "tftpboot");
        }
    }

    // ---------------------------------------------------------------- helpers

    private void changeConfig(String key, String value) {
        configChanged = true;
        server.setTftpProperty(key, value);
    }

    private Exec.Result put(Path local, String remoteName) {
        return server.client("tftp", SERVER_IP, "-m", "binary", "-c", "put", local.toString(), remoteName);
    }

    /** Uploads until the server takes it (the configuration change is applied within a second or two). */
    private Exec.Result putUntilAccepted(Path local, String remoteName) {
        Path stored = server.tftpboot().resolve(remoteName);
        long before = Files.exists(stored) ? Transfers.size(stored) : -1;
        Exec.Result[] last = new Exec.Result[1];
        Optional<Exec.Result> accepted = poll(APPLY_TIMEOUT, Duration.ofMillis(500), () -> last[0] = put(local, remoteName),
                r -> r.ok() && !r.output().contains("Error code"));
        if (accepted.isEmpty()) {
            fail("the upload of " + remoteName + " was still refused " + APPLY_TIMEOUT.toSeconds()
                    + " s after the configuration change (size before: " + before + ")\n" + last[0].describe());
        }
        return accepted.get();
    }

    private static void awaitGetWorks(int port) {
        Path got = server.clientDir().resolve("probe-" + port + ".txt");
        Path readme = server.tftpboot().resolve("README.txt");
        Exec.Result[] last = new Exec.Result[1];
        Optional<Exec.Result> works = poll(APPLY_TIMEOUT, Duration.ofMillis(300), () -> last[0] = server.client(
                        Duration.ofSeconds(10), "curl", "-sS", "--max-time", "2",
                        "tftp://" + SERVER_IP + ":" + port + "/README.txt", "-o", got.toString()),
                r -> r.ok() && Files.exists(got) && DisklessServer.sha256(got).equals(DisklessServer.sha256(readme)));
        if (works.isEmpty()) {
            fail("no TFTP get of README.txt on port " + port + " worked within " + APPLY_TIMEOUT.toSeconds() + " s\n"
                    + last[0].describe());
        }
    }

    /** The settings of the last "etc/org.diskless.tftp.cfg updated" / "TFTP server listening on" line of karaf.log. */
    private static Optional<String> lastLoggedSettings() {
        List<String> lines = server.logSince(0).lines().filter(l -> l.contains("TftpSettings[")).toList();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = SETTINGS.matcher(lines.get(lines.size() - 1));
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    private static Set<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }
}

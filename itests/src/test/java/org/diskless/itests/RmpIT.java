package org.diskless.itests;

import static org.diskless.itests.DisklessServer.counter;
import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HP RMP (rbootd) over the veth between the namespaces: a scapy client (rmp_client.py) plays an
 * HP 9000/300 boot ROM against the running distribution, tshark captures and decodes every reply.
 * The distribution starts with RMP idle; the test names the server's veth in
 * etc/org.diskless.rmp.cfg and lists the client's MAC in an rbootd.conf.
 */
class RmpIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLIENT_RUN = Duration.ofSeconds(180);
    private static final Pattern SERVING = Pattern.compile("RMP serving on veth0 \\(([0-9a-f:]{17})\\)");
    private static final long BOOT_FILE_SIZE = 3 * 1024 * 1024 + 1234; // not a multiple of 1482
    private static final String HOST_NAME = "dlit-rmp.example.org";
    /** A second machine, played by the same client with another source MAC (veth delivers its replies too). */
    private static final String WILLIAM_MAC = "08:00:09:77:77:01";

    private static String serverMac;
    private static String clientMac;
    private static Path rbootdConf;
    private static Path boottab;
    private static Path script;

    @BeforeAll
    static void serveRmpOnTheVeth() throws IOException {
        server.requireInClient("tshark python3-scapy", "tshark", "/usr/bin/python3");
        Exec.Result scapy = server.client("/usr/bin/python3", "-c", "import scapy.all");
        assertTrue(scapy.ok(), () -> "python3-scapy is needed:\n" + scapy.describe());
        assertTrue(server.logSince(0).contains("RMP is idle"), "without an interface RMP must say it is idle");

        clientMac = server.client("cat", "/sys/class/net/veth0/address").stdout().trim();
        script = server.copyToClient("rmp_client.py");
        server.randomFileInTftpboot("rbootd/SYSHPBSD", BOOT_FILE_SIZE);
        server.randomFileInTftpboot("rbootd/SYS_UBOOT", 4096);
        rbootdConf = server.etc().resolve("rbootd.conf");
        writeAtomically(rbootdConf, "# the test client\n" + clientMac + "  SYSHPBSD,SYS_UBOOT\n");

        // william boots SYSCDF, a context-dependent file: its own element, not the default one.
        server.randomFileInTftpboot("rbootd/SYSCDF+/william", 100_000);
        server.randomFileInTftpboot("rbootd/SYSCDF+/default", 50_000);
        boottab = server.etc().resolve("boottab");
        writeAtomically(boottab, "# name:machine type:link address:boot files\n"
                + "william:HPS300:" + WILLIAM_MAC.replace(":", "") + ":SYSCDF\n");

        long mark = server.logMark();
        writeAtomically(server.etc().resolve("org.diskless.rmp.cfg"), String.join("\n",
                "interface = veth0",
                "rbootdConf = " + rbootdConf,
                "boottab = " + boottab,
                "bootDirectory = rbootd",
                "hostName = " + HOST_NAME,
                ""));
        Optional<String> serving = server.awaitLogLine(mark, APPLY_TIMEOUT, "RMP serving on veth0");
        String line = serving.orElseGet(() -> fail("RMP did not start serving on veth0 within "
                + APPLY_TIMEOUT.toSeconds() + " s:\n" + server.logSince(mark)));
        Matcher m = SERVING.matcher(line);
        assertTrue(m.find(), line);
        serverMac = m.group(1);
    }

    @Test
    void bootRomLoadsItsFileAndEveryReplyDecodesAsRmp() {
        Map<String, String> r = scenario("SYSHPBSD", true);
        assertEquals("OKAY", r.get("identify.retcode"), r::toString);
        assertEquals("dlit-rmp", r.get("identify.name"), "host name cut at the first dot");
        assertEquals("SYSHPBSD,SYS_UBOOT", r.get("files"), "boot file list in configuration order");
        assertEquals("NODFLT", r.get("listEnd.retcode"));
        assertEquals("OKAY", r.get("boot.retcode"), r::toString);
        assertEquals("/usr/mdec/SYSHPBSD", r.get("boot.name"), "the boot reply echoes the name as asked");
        assertEquals(String.valueOf(BOOT_FILE_SIZE), r.get("fetch.bytes"));
        assertEquals(DisklessServer.sha256(server.tftpboot().resolve("rbootd/SYSHPBSD")), r.get("fetch.sha256"),
                "reassembled file");
        assertEquals("EOF", r.get("pastEnd.retcode"), "reading past the end");
        assertEquals("BADSID", r.get("wrongSession.retcode"), "wrong session id");
        assertEquals("ABORT", r.get("afterComplete.retcode"), "boot complete closed the session");
        assertEquals("NOFILE", r.get("notAllowed.retcode"), "a file not listed for the cnode");
        assertEquals("None", r.get("stranger.identify"), "an unlisted MAC gets no reply");
        assertEquals("None", r.get("stranger.read"), "an unlisted MAC gets no reply");
        int replies = Integer.parseInt(r.get("capture.replies"));
        assertTrue(replies > BOOT_FILE_SIZE / 1482, "tshark saw " + replies + " replies");
        assertEquals(String.valueOf(replies), r.get("capture.protocols.RMP"), "every reply decodes as RMP: " + r);
        assertEquals("0", r.get("capture.malformed"), "no malformed frames");
    }

    @Test
    void boottabCnodeGetsItsOwnElementOfAContextDependentFile() {
        Map<String, String> r = scenario("SYSCDF", false, "--source-mac", WILLIAM_MAC);
        assertEquals(WILLIAM_MAC, r.get("client"));
        assertEquals("SYSCDF", r.get("files"), r::toString);
        assertEquals("OKAY", r.get("boot.retcode"), r::toString);
        assertEquals(DisklessServer.sha256(server.tftpboot().resolve("rbootd/SYSCDF+/william")), r.get("fetch.sha256"),
                "SYSCDF for cnode william is SYSCDF+/william");
        assertEquals("NOFILE", r.get("notAllowed.retcode"));
    }

    @Test
    void boottabMachineTypeIsChecked() {
        Map<String, String> r = scenario("SYSCDF", false, "--source-mac", WILLIAM_MAC, "--machine", "HPS700");
        assertEquals("None", r.get("identify"), "william is configured as an HPS300 only: " + r);
        assertEquals("OKAY", scenario("SYSHPBSD", false).get("identify.retcode"), "other machines unaffected");
    }

    @Test
    void cnodesCommandShowsTheConfiguredClient() {
        String out = server.shell("rmp:cnodes");
        assertTrue(out.contains(clientMac), out);
        assertTrue(out.contains("SYSHPBSD,SYS_UBOOT"), out);
        assertTrue(out.contains("william") && out.contains("HPS300"), out);
        assertTrue(server.shell("rmp:sessions").contains("serving on veth0"), "idle server names its interface");
    }

    @Test
    void editedConfigurationAppliesWithoutRestartAndABadOneIsRefusedLineByLine() {
        long pid = server.karafPid();
        try {
            long mark = server.logMark();
            writeAtomically(rbootdConf, clientMac + " SYSHPBSD\n08:00:09:zz:00:02 SYS_UBOOT\n");
            Optional<String> refused = server.awaitLogLine(mark, APPLY_TIMEOUT, "rbootd.conf:2:", "zz");
            assertTrue(refused.isPresent(), () -> "no refusal naming line 2:\n" + server.logSince(mark));
            assertTrue(server.awaitLogLine(mark, APPLY_TIMEOUT, "previous configuration keeps serving").isPresent());
            assertEquals("SYSHPBSD,SYS_UBOOT", scenario("SYS_UBOOT", false).get("files"),
                    "the last good configuration still serves");

            long fixed = server.logMark();
            writeAtomically(rbootdConf, clientMac + " SYS_UBOOT\n");
            assertTrue(server.awaitLogLine(fixed, APPLY_TIMEOUT, "RMP configuration loaded").isPresent(),
                    () -> server.logSince(fixed));
            Map<String, String> r = scenario("SYS_UBOOT", false);
            assertEquals("SYS_UBOOT", r.get("files"), r::toString);
            assertEquals(DisklessServer.sha256(server.tftpboot().resolve("rbootd/SYS_UBOOT")), r.get("fetch.sha256"));
            assertEquals(pid, server.karafPid(), "no restart");
        } finally {
            long mark = server.logMark();
            writeAtomically(rbootdConf, "# the test client\n" + clientMac + "  SYSHPBSD,SYS_UBOOT\n");
            poll(APPLY_TIMEOUT, Duration.ofMillis(200), () -> server.logSince(mark).contains("RMP configuration loaded"),
                    done -> done);
        }
    }

    @Test
    void aFloodFromMadeUpAndGroupAddressesNeitherAmplifiesNorLocksOutAListedMachine() {
        Path cfg = server.etc().resolve("org.diskless.rmp.cfg");
        String serving = read(cfg);
        try {
            long mark = server.logMark();
            writeAtomically(cfg, serving + "answerAny = true\ndefaultBootFiles = SYS_UBOOT\n");
            assertTrue(server.awaitLogLine(mark, APPLY_TIMEOUT, "RmpServer", "answerAny=true").isPresent(),
                    () -> server.logSince(mark));
            List<String> argv = List.of("/usr/bin/python3", script.toString(), "flood", "--iface", "veth0",
                    "--server-mac", serverMac, "--file", "SYS_UBOOT", "--boots", "200", "--probes", "25");
            Exec.Result flood = server.client(CLIENT_RUN, argv.toArray(String[]::new));
            assertTrue(flood.ok(), flood::describe);
            assertTrue(flood.stdout().contains("broadcastReplies=0"),
                    () -> "a frame from ff:ff:ff:ff:ff:ff must draw no reply to every machine:\n" + flood.stdout());

            Map<String, String> r = scenario("SYSHPBSD", false);
            assertEquals("OKAY", r.get("boot.retcode"), () -> "the table full of sessions that never read kept a"
                    + " listed machine out: " + r + "\n" + server.shell("rmp:stats"));
            assertEquals(DisklessServer.sha256(server.tftpboot().resolve("rbootd/SYSHPBSD")), r.get("fetch.sha256"));

            String stats = server.shell("rmp:stats");
            assertTrue(counter(stats, "dropped_group_source") >= 25, stats);
            assertTrue(counter(stats, "sessions_evicted_unread") >= 1, stats);
        } finally {
            long mark = server.logMark();
            writeAtomically(cfg, serving);
            assertTrue(server.awaitLogLine(mark, APPLY_TIMEOUT, "RmpServer", "answerAny=false").isPresent(),
                    () -> server.logSince(mark));
        }
    }

    @Test
    void missingInterfaceIsAClearErrorAndTheRestOfTheServerKeepsRunning() {
        Path cfg = server.etc().resolve("org.diskless.rmp.cfg");
        String serving;
        try {
            serving = Files.readString(cfg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            long mark = server.logMark();
            writeAtomically(cfg, serving.replace("interface = veth0", "interface = dlit-none0"));
            Optional<String> error = server.awaitLogLine(mark, APPLY_TIMEOUT, "RMP cannot serve on dlit-none0",
                    "no network interface named 'dlit-none0'", "the rest of the server keeps running");
            assertTrue(error.isPresent(), () -> "no clear error for a missing interface:\n" + server.logSince(mark));
            assertTrue(server.karafAlive());
            assertTrue(server.shell("rmp:sessions").contains("RMP is idle"));
            assertTrue(server.shell("feature:list -i").contains("diskless-tftp"), "other protocols unaffected");
        } finally {
            long mark = server.logMark();
            writeAtomically(cfg, serving);
            assertTrue(server.awaitLogLine(mark, APPLY_TIMEOUT, "RMP serving on veth0").isPresent(),
                    () -> "RMP did not come back on veth0:\n" + server.logSince(mark));
        }
    }

    @Test
    void rmpUninstallsAndReinstallsOnTheLiveServer() {
        long mark = server.logMark();
        server.shell("feature:uninstall diskless-rmp");
        assertTrue(server.awaitLogLine(mark, APPLY_TIMEOUT, "RMP server stopped").isPresent(),
                () -> server.logSince(mark));
        assertEquals("None", scenario("SYS_UBOOT", false).get("identify"), "nobody answers without the feature");
        long again = server.logMark();
        server.shell("feature:install diskless-rmp");
        assertTrue(server.awaitLogLine(again, APPLY_TIMEOUT, "RMP serving on veth0").isPresent(),
                () -> server.logSince(again));
        assertEquals("OKAY", scenario("SYS_UBOOT", false).get("boot.retcode"));
        assertTrue(server.karafAlive());
    }

    /** Runs the scripted boot ROM in the client namespace; its `path=value` lines as a map. */
    private static Map<String, String> scenario(String file, boolean capture, String... options) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "scenario",
                "--iface", "veth0", "--server-mac", serverMac, "--file", file));
        argv.addAll(List.of(options));
        if (capture) {
            argv.addAll(List.of("--pcap", server.clientDir().resolve(DisklessServer.unique("rmp-", ".pcap")).toString()));
        }
        Exec.Result run = server.client(CLIENT_RUN, argv.toArray(String[]::new));
        assertTrue(run.ok(), () -> "the RMP client failed:\n" + run.describe());
        return DisklessServer.keyValues(run.stdout());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAtomically(Path target, String content) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".dlit-tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

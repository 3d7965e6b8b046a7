package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.counter;
import static org.diskless.itests.DisklessServer.keyValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RARP (RFC 903) over the veth between the namespaces: a scapy client (rarp_client.py) plays a Sun
 * or NetBSD netboot ROM asking for its address by MAC, tshark captures and decodes what the server
 * sends. Then the machine does what such a ROM does next: it takes the address it was told and
 * fetches the file named by that address in upper-case hex by TFTP, from the server that answered.
 * The distribution starts with RARP idle; the test names the server's veth in etc/org.diskless.rarp.cfg.
 */
class RarpIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLIENT_RUN = Duration.ofSeconds(120);
    private static final Pattern SERVING = Pattern.compile("RARP serving on veth0 \\(([0-9a-f:]{17})\\)");

    private static final String SPARC = "sparc1";
    private static final String SPARC_MAC = "08:00:20:0a:0b:0c";
    private static final String SPARC_ADDRESS = "198.18.5.20";
    /** 198.18.5.20 in upper-case hex, the name a Sun PROM asks TFTP for, with its architecture. */
    private static final String SPARC_BOOT_NAME = "C6120514.SUN4C";
    private static final String DYNAMIC = "dynamic1";
    private static final String DYNAMIC_MAC = "08:00:20:0a:0b:0d";

    private static String serverMac;
    private static String clientMac;
    private static Path script;

    @BeforeAll
    static void serveRarpOnTheVethForTwoNodes() throws IOException {
        server.requireInClient("tshark python3-scapy", "tshark", "/usr/bin/python3");
        Exec.Result scapy = server.client("/usr/bin/python3", "-c", "import scapy.all");
        assertTrue(scapy.ok(), () -> "python3-scapy is needed:\n" + scapy.describe());
        assertTrue(server.logSince(0).contains("RARP is idle"), "booted without an interface, RARP must say it is idle");
        assertTrue(server.shell("rarp:stats").contains("Idle"), "rarp:stats must say RARP is idle");

        clientMac = server.client("cat", "/sys/class/net/veth0/address").stdout().trim();
        script = server.copyToClient("rarp_client.py");
        server.copyToClient("rmp_client.py"); // rarp_client.py takes its capture and printing helpers from it
        assertTrue(server.shell("nodes:add --address " + SPARC_ADDRESS + " " + SPARC + " " + SPARC_MAC)
                .contains("Added node " + SPARC));
        assertTrue(server.shell("nodes:add " + DYNAMIC + " " + DYNAMIC_MAC).contains("Added node " + DYNAMIC));

        long mark = server.logMark();
        server.writeConfig("org.diskless.rarp.cfg", "interface = veth0\n");
        String line = server.awaitLogLine(mark, APPLY_TIMEOUT, "RARP serving on veth0").orElseGet(() -> fail(
                "RARP did not start serving on veth0 within " + APPLY_TIMEOUT.toSeconds() + " s:\n" + server.logSince(mark)));
        Matcher m = SERVING.matcher(line);
        assertTrue(m.find(), line);
        serverMac = m.group(1);
    }

    @Test
    void knownNodeLearnsItsAddressAndFetchesTheFileNamedByItInHex() throws IOException {
        Path bootFile = server.randomFileInTftpboot("sun/boot.net", 200_000);
        Path hexName = server.tftpboot().resolve(SPARC_BOOT_NAME);
        Files.deleteIfExists(hexName);
        Files.createSymbolicLink(hexName, Path.of("sun/boot.net")); // as NetBSD's diskless how-to sets it up

        Map<String, String> r = ask(SPARC_MAC, SPARC_MAC, true);

        assertEquals("4", r.get("reply.op"), r::toString);
        assertEquals(SPARC_MAC, r.get("reply.target_mac"));
        assertEquals(SPARC_ADDRESS, r.get("reply.target_ip"), "the node's fixed address");
        assertEquals(serverMac, r.get("reply.sender_mac"));
        assertEquals(SERVER_IP, r.get("reply.sender_ip"), "our address on the link the request came in on");
        assertEquals("RARP", r.get("capture.protocol"), "tshark decodes the reply as RARP: " + r);
        assertEquals("4", r.get("capture.opcode"));
        assertEquals(SPARC_ADDRESS, r.get("capture.target_ip"));
        assertEquals("60", r.get("capture.length"), "padded to the shortest Ethernet frame");
        assertEquals("0", r.get("capture.malformed"));

        // What the ROM does next: TFTP from the server that answered, from the address it was told.
        Exec.Result added = server.client("ip", "addr", "add", SPARC_ADDRESS + "/24", "dev", "veth0");
        assertTrue(added.ok(), added::describe);
        try {
            Path got = server.clientDir().resolve("fetched-" + SPARC_BOOT_NAME);
            Exec.Result fetched = server.client("curl", "-sS", "--interface", SPARC_ADDRESS,
                    "tftp://" + r.get("reply.sender_ip") + "/" + SPARC_BOOT_NAME, "-o", got.toString());
            assertTrue(fetched.ok(), fetched::describe);
            assertEquals(DisklessServer.sha256(bootFile), DisklessServer.sha256(got), "the hex-named file is the boot file");
        } finally {
            server.client("ip", "addr", "del", SPARC_ADDRESS + "/24", "dev", "veth0");
        }
        String status = server.shell("boot:status " + SPARC_MAC);
        assertTrue(status.contains("RARP") && status.contains(SPARC_ADDRESS + " (fixed)"), status);
        assertTrue(status.contains(SPARC_BOOT_NAME), () -> "the TFTP fetch from the RARP address is on the node's"
                + " timeline:\n" + status);
    }

    @Test
    void strangersAndNodesWithoutAFixedAddressGetNoReply() {
        assertEquals("None", ask("08:00:20:ee:ee:ee", "08:00:20:ee:ee:ee", false).get("reply"));
        assertEquals("None", ask(DYNAMIC_MAC, DYNAMIC_MAC, false).get("reply"));
        String stats = server.shell("rarp:stats");
        assertTrue(counter(stats, "ignored_unknown_client") >= 1, stats);
        assertTrue(counter(stats, "ignored_no_fixed_address") >= 1, stats);
        assertTrue(server.shell("boot:status " + DYNAMIC_MAC).lines().noneMatch(l -> l.contains("RARP")),
                "a request that is not answered leaves no boot event");
    }

    @Test
    void aFloodNeitherRepliesToGroupsNorAnswersOneMachineMoreThanOnceAnInterval() {
        Exec.Result flood = server.client(CLIENT_RUN, "/usr/bin/python3", script.toString(), "flood",
                "--iface", "veth0", "--mac", SPARC_MAC, "--count", "300");
        assertTrue(flood.ok(), flood::describe);
        Map<String, String> r = keyValues(flood.stdout());

        assertEquals("0", r.get("groupReplies"), () -> "a request from a group address drew a reply to it:\n" + r);
        int aboutSparc = Integer.parseInt(r.get("repliesAboutKnown"));
        assertTrue(aboutSparc <= 3, () -> "300 requests about one machine from made-up sources within a few seconds"
                + " got " + aboutSparc + " replies; pacing allows one a second:\n" + server.shell("rarp:stats"));
        String stats = server.shell("rarp:stats");
        assertTrue(counter(stats, "dropped_group_source") >= 300, stats);
        assertTrue(counter(stats, "rate_limited") >= 290, stats);
        assertTrue(counter(stats, "ignored_unknown_client") >= 300, stats);
        assertEquals("4", ask(SPARC_MAC, SPARC_MAC, false).get("reply.op"), "the machine itself is still answered");
    }

    @Test
    void rarpUninstallsAndReinstallsOnTheLiveServer() {
        long mark = server.logMark();
        server.shell("feature:uninstall diskless-rarp");
        assertTrue(server.awaitLogLine(mark, APPLY_TIMEOUT, "RARP server stopped").isPresent(),
                () -> server.logSince(mark));
        assertEquals("None", ask(SPARC_MAC, SPARC_MAC, false).get("reply"), "nobody answers without the feature");
        long again = server.logMark();
        server.shell("feature:install diskless-rarp");
        assertTrue(server.awaitLogLine(again, APPLY_TIMEOUT, "RARP serving on veth0").isPresent(),
                () -> server.logSince(again));
        assertEquals(SPARC_ADDRESS, ask(SPARC_MAC, SPARC_MAC, false).get("reply.target_ip"));
        assertTrue(server.karafAlive());
    }

    /** One RARP request from {@code source} about {@code machine}; the client's `path=value` lines. */
    private static Map<String, String> ask(String source, String machine, boolean capture) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "ask", "--iface", "veth0",
                "--source", source, "--mac", machine, "--server-mac", serverMac));
        if (capture) {
            argv.addAll(List.of("--pcap", server.clientDir().resolve(DisklessServer.unique("rarp-", ".pcap")).toString()));
        }
        Exec.Result run = server.client(CLIENT_RUN, argv.toArray(String[]::new));
        assertTrue(run.ok(), () -> "the RARP client failed:\n" + run.describe());
        return keyValues(run.stdout());
    }
}

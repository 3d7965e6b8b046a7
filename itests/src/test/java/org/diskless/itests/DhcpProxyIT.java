package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ProxyDHCP beside a real DHCP server: dnsmasq hands out addresses from the same host (the server
 * namespace, port 67 shared through SO_REUSEADDR), Diskless in proxy mode adds only the PXE answer.
 * A scapy client plays an EDK2 UEFI ROM: it takes the address from dnsmasq's offer, then asks our
 * boot server on port 4011 for the file, as UEFI firmware does behind another DHCP server.
 */
class DhcpProxyIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration CLIENT_RUN = Duration.ofSeconds(60);
    private static final String DHCP_CFG = "org.diskless.dhcp.cfg";
    private static final String NODE_MAC = "52:54:00:5e:02:01";
    private static final Pattern DNSMASQ_RANGE = Pattern.compile("198\\.18\\.5\\.1(5[0-9]|60)");

    private static Path script;
    private static Exec.Running dnsmasq;

    @BeforeAll
    static void startDnsmasqAndSwitchToProxyMode() throws IOException {
        for (String tool : List.of("dnsmasq", "/usr/bin/python3")) {
            Exec.Result which = server.client("sh", "-c", "command -v " + tool);
            if (!which.ok()) {
                fail(tool + " is needed (apt-get install dnsmasq-base python3-scapy):\n" + which.describe());
            }
        }
        script = server.clientDir().resolve("dhcp_client.py");
        try (InputStream in = DhcpProxyIT.class.getResourceAsStream("/dhcp_client.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        server.setProperty(DHCP_CFG, "mode", "\"proxy\"");
        server.setProperty(DHCP_CFG, "interface", "\"veth0\"");
        Optional<String> proxy = poll(SETTLE, Duration.ofMillis(300), () -> server.shell("dhcp:stats"),
                out -> out.contains("mode     proxy") && out.contains("listening *:67"));
        assertTrue(proxy.isPresent(), () -> "not in proxy mode:\n" + server.shell("dhcp:stats"));

        String added = server.shell("nodes:add --arch 7 --boot kernel=vmlinuz --boot initrd=initrd.gz proxy-node01 "
                + NODE_MAC);
        assertTrue(added.contains("Added node proxy-node01"), added);

        Path dir = server.clientDir();
        dnsmasq = server.inServerNsAsync("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--port=0",
                // --no-ping: dnsmasq otherwise pings an address ~3 s before offering it, as long as the
                // client waits for offers, which made its offer miss the window now and then.
                "--user=root", "--interface=veth0", "--bind-interfaces", "--dhcp-authoritative", "--log-dhcp",
                "--no-ping",
                "--log-facility=" + dir.resolve("dnsmasq.log"),
                "--dhcp-range=198.18.5.150,198.18.5.160,255.255.255.0,10m",
                "--dhcp-leasefile=" + dir.resolve("dnsmasq.leases"), "--pid-file=" + dir.resolve("dnsmasq.pid"));
        Optional<Boolean> listening = poll(Duration.ofSeconds(10), Duration.ofMillis(200),
                () -> server.inServerNs(Duration.ofSeconds(10), "ss", "-ulnp").stdout().contains("dnsmasq"), b -> b);
        if (listening.isEmpty()) {
            fail("dnsmasq did not start beside our server:\n" + dnsmasq.await(Duration.ofSeconds(1)).describe());
        }
    }

    @AfterAll
    static void stopDnsmasq() {
        if (dnsmasq != null) {
            dnsmasq.await(Duration.ZERO);
        }
    }

    @AfterEach
    void removeClientInterfaces() {
        for (String link : List.of("dp1", "dp2")) {
            server.client("sh", "-c", "ip link show " + link + " >/dev/null 2>&1 && ip link del " + link + " || true");
        }
    }

    @Test
    void aUefiClientGetsItsAddressFromDnsmasqAndItsBootFileFromOurPort4011() {
        macvlan("dp1", NODE_MAC);
        long offersBefore = sent("OFFER");

        String out = scapy("pxe-boot", "--iface", "dp1", "--mac", NODE_MAC, "--arch", "7", "--wait", "4");

        List<Reply> offers = replies(out, "offer");
        assertTrue(offers.stream().anyMatch(o -> o.get("yiaddr").equals("0.0.0.0")
                && o.get("vendor_class").equals("PXEClient")), () -> "no ProxyDHCP offer:\n" + out);
        assertTrue(offers.stream().anyMatch(o -> DNSMASQ_RANGE.matcher(o.get("yiaddr")).matches()),
                () -> "no address offer from dnsmasq:\n" + out);
        assertTrue(replies(out, "nak").isEmpty(), () -> "someone NAKed the client's REQUEST:\n" + out);
        Reply ack = replies(out, "ack").get(0);
        assertTrue(DNSMASQ_RANGE.matcher(ack.get("yiaddr")).matches(), () -> "address not from dnsmasq:\n" + out);
        assertEquals(offersBefore + 1, sent("OFFER"), () -> server.shell("dhcp:stats"));

        Reply boot = replies(out, "boot_ack").get(0);
        assertEquals(SERVER_IP + ":4011", boot.get("from"), out);
        assertEquals("5", boot.get("type"), out);
        assertEquals("ipxe.efi", boot.get("file"), out);
        assertEquals(SERVER_IP, boot.get("siaddr"), out);
        assertEquals("PXEClient", boot.get("vendor_class"), out);
        // EDK2 discards PXE answers that carry MTFTP sub-options; a UEFI client gets no option 43.
        assertFalse(List.of(boot.get("options").split(",")).contains("43"), out);
    }

    @Test
    void aClientThatIsNotPxeGetsOnlyDnsmasqsOffer() {
        macvlan("dp2", "52:54:00:5e:02:02");
        long notPxeBefore = dropped("not-pxe");
        long offersBefore = sent("OFFER");

        Exec.Result r = server.client(CLIENT_RUN, "busybox", "udhcpc", "-i", "dp2", "-f", "-q", "-n", "-t", "5",
                "-T", "2", "-s", "/bin/true");

        assertTrue(r.ok(), r::describe);
        assertTrue(dropped("not-pxe") > notPxeBefore, () -> server.shell("dhcp:stats"));
        assertEquals(offersBefore, sent("OFFER"), () -> server.shell("dhcp:stats"));
    }

    // ------------------------------------------------------------------ helpers

    /** One reply line of dhcp_client.py: {@code <label> key=value ...}. */
    private record Reply(Map<String, String> fields) {
        String get(String key) {
            return fields.getOrDefault(key, "");
        }
    }

    private static List<Reply> replies(String output, String label) {
        List<Reply> found = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] words = line.trim().split(" ");
            if (!words[0].equals(label) || words.length < 2 || words[1].equals("none")) {
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (int i = 1; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq > 0) {
                    fields.put(words[i].substring(0, eq), words[i].substring(eq + 1));
                }
            }
            found.add(new Reply(fields));
        }
        if (found.isEmpty() && !label.equals("nak")) {
            fail("no '" + label + "' line in the client's output:\n" + output);
        }
        return found;
    }

    private static void macvlan(String link, String mac) {
        Exec.Result add = server.client("ip", "link", "add", link, "link", "veth0", "address", mac,
                "type", "macvlan", "mode", "bridge");
        assertTrue(add.ok(), add::describe);
        Exec.Result up = server.client("ip", "link", "set", link, "up");
        assertTrue(up.ok(), up::describe);
    }

    private static String scapy(String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        argv.addAll(List.of(args));
        Exec.Result r = server.client(CLIENT_RUN, argv.toArray(String[]::new));
        assertTrue(r.ok(), () -> r.describe() + "\n" + server.shell("dhcp:stats"));
        return r.stdout();
    }

    private static long dropped(String reason) {
        return count("dropped\\s+" + Pattern.quote(reason) + "\\s+(\\d+)");
    }

    private static long sent(String type) {
        return count("sent\\s+" + type + "\\s+(\\d+)");
    }

    private static long count(String regex) {
        String stats = server.shell("dhcp:stats");
        Matcher m = Pattern.compile(regex).matcher(stats);
        if (!m.find()) {
            fail("no /" + regex + "/ in dhcp:stats:\n" + stats);
        }
        return Long.parseLong(m.group(1));
    }
}

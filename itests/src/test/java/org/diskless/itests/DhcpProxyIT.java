package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final String DHCP_CFG = "org.diskless.dhcp.cfg";
    private static final String NODE_MAC = "52:54:00:5e:02:01";
    private static final Pattern DNSMASQ_RANGE = Pattern.compile("198\\.18\\.5\\.1(5[0-9]|60)");

    private static DhcpClients clients;
    private static Exec.Running dnsmasq;

    @BeforeAll
    static void startDnsmasqAndSwitchToProxyMode() {
        clients = new DhcpClients(server, "dnsmasq-base python3-scapy", "dnsmasq", "/usr/bin/python3");
        server.setProperty(DHCP_CFG, "mode", "\"proxy\"");
        server.setProperty(DHCP_CFG, "interface", "\"veth0\"");
        Optional<String> proxy = poll(SETTLE, Duration.ofMillis(300), () -> server.shell("dhcp:stats"),
                out -> out.lines().anyMatch(l -> l.matches("Mode\\s+proxy"))
                        && out.lines().anyMatch(l -> l.matches("Listening on\\s+\\*:67"))
                        && out.lines().anyMatch(l -> l.matches("PXE boot server\\s+\\*:4011")));
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
        clients.removeLinks("dp1", "dp2");
    }

    @Test
    void aUefiClientGetsItsAddressFromDnsmasqAndItsBootFileFromOurPort4011() {
        clients.macvlan("dp1", NODE_MAC);
        long offersBefore = clients.sent("OFFER");

        String out = clients.scapy("pxe-boot", "--iface", "dp1", "--mac", NODE_MAC, "--arch", "7", "--wait", "4");

        List<Reply> offers = replies(out, "offer");
        assertTrue(offers.stream().anyMatch(o -> o.get("yiaddr").equals("0.0.0.0")
                && o.get("vendor_class").equals("PXEClient")), () -> "no ProxyDHCP offer:\n" + out);
        assertTrue(offers.stream().anyMatch(o -> DNSMASQ_RANGE.matcher(o.get("yiaddr")).matches()),
                () -> "no address offer from dnsmasq:\n" + out);
        assertTrue(replies(out, "nak").isEmpty(), () -> "someone NAKed the client's REQUEST:\n" + out);
        Reply ack = replies(out, "ack").get(0);
        assertTrue(DNSMASQ_RANGE.matcher(ack.get("yiaddr")).matches(), () -> "address not from dnsmasq:\n" + out);
        assertEquals(offersBefore + 1, clients.sent("OFFER"), () -> server.shell("dhcp:stats"));

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
        clients.macvlan("dp2", "52:54:00:5e:02:02");
        long notPxeBefore = clients.dropped("not-pxe");
        long offersBefore = clients.sent("OFFER");

        Exec.Result r = server.client(DhcpClients.CLIENT_RUN, "busybox", "udhcpc", "-i", "dp2", "-f", "-q", "-n",
                "-t", "5", "-T", "2", "-s", "/bin/true");

        assertTrue(r.ok(), r::describe);
        assertTrue(clients.dropped("not-pxe") > notPxeBefore, () -> server.shell("dhcp:stats"));
        assertEquals(offersBefore, clients.sent("OFFER"), () -> server.shell("dhcp:stats"));
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





}

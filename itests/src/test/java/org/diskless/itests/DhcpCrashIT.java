package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases survive {@code kill -9}: perfdhcp (as a relay, from the client namespace) runs thousands of
 * DORA exchanges, the server is killed with SIGKILL in the middle, and restarted. Every ACK that went
 * on the wire (captured by tshark beside perfdhcp) is in the restarted server's lease table with the
 * same client, no address is held twice, and a second run after the restart never hands out an
 * address that was acknowledged to another client before the crash.
 */
class DhcpCrashIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration SETTLE = Duration.ofSeconds(20);
    /** perfdhcp relays from this second address of the client veth; its subnet is big enough for the run. */
    private static final String RELAY = "198.18.128.2";
    private static final String SERVER = "198.18.128.1";
    private static final Pattern LEASE_LINE = Pattern.compile(
            "^(\\d+\\.\\d+\\.\\d+\\.\\d+)[\\s|│]+([0-9a-f:]{17})[\\s|│]+bound\\b", Pattern.MULTILINE);

    @BeforeAll
    static void configureARelayedSubnet() {
        for (String tool : List.of("perfdhcp", "tshark")) {
            Exec.Result which = server.client("sh", "-c", "command -v " + tool);
            if (!which.ok()) {
                fail(tool + " is needed (apt-get install kea-admin tshark):\n" + which.describe());
            }
        }
        Exec.Result a = server.inServerNs(Duration.ofSeconds(10), "ip", "addr", "add", SERVER + "/17", "dev", "veth0");
        assertTrue(a.ok(), a::describe);
        Exec.Result b = server.client("ip", "addr", "add", RELAY + "/17", "dev", "veth0");
        assertTrue(b.ok(), b::describe);
        server.writeConfig("org.diskless.dhcp.subnet-crash.cfg", String.join("\n",
                "network = \"198.18.128.0/17\"",
                "range = \"198.18.130.0-198.18.200.255\"",
                "unknownClients = \"allow\"",
                "leaseTime = \"3600\"", ""));
        Optional<String> pools = poll(SETTLE, Duration.ofMillis(300), () -> server.shell("dhcp:pools"),
                out -> out.contains("198.18.128.0/17"));
        assertTrue(pools.isPresent(), () -> "the subnet never appeared:\n" + server.shell("dhcp:pools"));
    }

    @Test
    void everyAcknowledgedLeaseSurvivesKillDashNine() throws Exception {
        Map<String, String> ackedBefore = runPerfdhcpCapturingAcks("before", Duration.ofSeconds(4), true);
        assertTrue(ackedBefore.size() >= 50, () -> "too few ACKs before the kill to prove anything: "
                + ackedBefore.size());

        server.restart();
        Map<String, String> bound = boundLeases();
        List<String> lost = new ArrayList<>();
        ackedBefore.forEach((address, mac) -> {
            if (!mac.equals(bound.get(address))) {
                lost.add(address + " acknowledged to " + mac + ", after the restart: " + bound.get(address));
            }
        });
        assertTrue(lost.isEmpty(), () -> lost.size() + " of " + ackedBefore.size()
                + " acknowledged leases lost or changed by kill -9, e.g. " + lost.subList(0, Math.min(5, lost.size())));

        Map<String, String> ackedAfter = runPerfdhcpCapturingAcks("after", Duration.ZERO, false);
        assertTrue(!ackedAfter.isEmpty(), "the restarted server acknowledged nothing");
        ackedAfter.forEach((address, mac) -> {
            String holder = ackedBefore.get(address);
            assertTrue(holder == null || holder.equals(mac), () -> address + " was acknowledged to " + holder
                    + " before the crash and to " + mac + " after it");
        });
    }

    /**
     * Runs perfdhcp for a few seconds with tshark capturing the relay's side; when {@code kill} is
     * set, kills the server with SIGKILL after {@code killAfter}. Returns address to MAC of every
     * ACK seen, failing if an address was acknowledged to two clients.
     */
    private static Map<String, String> runPerfdhcpCapturingAcks(String label, Duration killAfter, boolean kill)
            throws InterruptedException {
        Path capture = server.clientDir().resolve("acks-" + label + ".pcap");
        Exec.Running tshark = server.clientAsync("tshark", "-q", "-i", "veth0", "-f", "udp port 67",
                "-a", "duration:14", "-w", capture.toString());
        Thread.sleep(2000);   // tshark needs a moment before it captures
        Exec.Running perfdhcp = server.clientAsync("perfdhcp", "-4", "-l", RELAY, "-r", "400", "-R", "1000000",
                "-p", "8", SERVER);
        if (kill) {
            Thread.sleep(killAfter.toMillis());
            server.killHard();
        }
        Exec.Result load = perfdhcp.await(Duration.ofSeconds(30));
        Exec.Result captured = tshark.await(Duration.ofSeconds(30));
        assertTrue(!captured.timedOut(), captured::describe);

        // occurrence=f: the ACK's chaddr. The client identifier it echoes (RFC 6842), a hardware
        // address too in perfdhcp's requests, is a second dhcp.hw.mac_addr.
        Exec.Result acks = server.client(Duration.ofSeconds(60), "tshark", "-r", capture.toString(),
                "-Y", "dhcp.option.dhcp == 5", "-T", "fields", "-E", "occurrence=f",
                "-e", "dhcp.ip.your", "-e", "dhcp.hw.mac_addr");
        assertTrue(acks.ok(), acks::describe);
        Map<String, String> byAddress = new HashMap<>();
        for (String line : acks.stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 2) {
                continue;
            }
            String previous = byAddress.putIfAbsent(f[0], f[1]);
            assertTrue(previous == null || previous.equals(f[1]), () -> f[0] + " acknowledged to " + previous
                    + " and to " + f[1] + " (" + label + ")\n" + load.describe());
        }
        return byAddress;
    }

    /** address to MAC of every bound lease the server lists; fails on an address listed twice. */
    private static Map<String, String> boundLeases() {
        String listing = server.shell("dhcp:leases -s bound");
        Map<String, String> leases = new HashMap<>();
        Matcher m = LEASE_LINE.matcher(listing);
        while (m.find()) {
            String previous = leases.put(m.group(1), m.group(2));
            assertEquals(null, previous, "address " + m.group(1) + " listed twice");
        }
        return leases;
    }
}

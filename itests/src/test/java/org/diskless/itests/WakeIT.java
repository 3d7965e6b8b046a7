package org.diskless.itests;

import static org.diskless.itests.DisklessServer.CLIENT_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Staggered Wake-on-LAN on the running distribution, seen from a second machine: dumpcap in the
 * client namespace captures what {@code wake:nodes} sends over the veth, and tshark's Wake-on-LAN
 * dissector says which MAC each packet wakes. Five nodes of one group have fixed addresses on the
 * DHCP subnet of the veth (so the server picks that network's broadcast and interface); one of them
 * has the client namespace's address and fetches a file over TFTP just before, so its boot timeline
 * shows a boot in progress and it is skipped.
 */
class WakeIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final String GROUP = "wakerack";
    private static final String BUSY = "w03";
    private static final Map<String, String> MACS = new TreeMap<>(Map.of(
            "w01", "52:54:00:77:00:01", "w02", "52:54:00:77:00:02", BUSY, "52:54:00:77:00:03",
            "w04", "52:54:00:77:00:04", "w05", "52:54:00:77:00:05"));
    private static final int INTERVAL_SECONDS = 3;
    /** Packets further apart than this belong to different batches; a batch leaves within milliseconds. */
    private static final double BATCH_GAP_SECONDS = 1.5;

    @BeforeAll
    static void nodesOnTheVethSubnet() {
        for (String tool : List.of("dumpcap", "tshark")) {
            Exec.Result which = server.client("sh", "-c", "command -v " + tool);
            if (!which.ok()) {
                fail(tool + " is needed: apt-get install --no-install-recommends tshark\n" + which.describe());
            }
        }
        server.writeConfig("org.diskless.dhcp.subnet-wake.cfg", "network = \"198.18.5.0/24\"\n");
        Optional<String> pools = poll(SETTLE, Duration.ofMillis(300), () -> server.shell("dhcp:pools"),
                out -> out.contains("198.18.5.0/24"));
        assertTrue(pools.isPresent(), () -> "the subnet never reached dhcp:pools:\n" + server.shell("dhcp:pools"));
        int host = 21;
        for (Map.Entry<String, String> node : MACS.entrySet()) {
            String address = node.getKey().equals(BUSY) ? CLIENT_IP : "198.18.5." + host++;
            String added = server.shell("nodes:add --address " + address + " --group " + GROUP
                    + " --boot kernel=images/vmlinuz " + node.getKey() + " " + node.getValue());
            assertTrue(added.contains("Added node " + node.getKey()), added);
        }
        Optional<String> listed = poll(SETTLE, Duration.ofMillis(300), () -> server.shell("nodes:list"),
                out -> MACS.keySet().stream().allMatch(out::contains));
        assertTrue(listed.isPresent(), () -> "the nodes never reached the inventory:\n" + server.shell("nodes:list"));
        // The busy node "boots": a TFTP fetch from its fixed address lands on its timeline.
        assertTrue(server.tftpText("README.txt").isPresent(), "TFTP fetch of README.txt from the busy node");
        Optional<String> busy = poll(SETTLE, Duration.ofMillis(300), () -> server.shell("boot:status " + BUSY),
                out -> out.contains("README.txt"));
        assertTrue(busy.isPresent(), () -> "the fetch never reached the timeline:\n" + server.shell("boot:status " + BUSY));
    }

    @Test
    void aGroupIsWokenTwoNodesAtATimeSpacedByTheIntervalSkippingTheNodeThatIsBooting() {
        Path capture = server.clientDir().resolve("wake.pcapng");
        Exec.Running dumpcap = server.clientAsync("dumpcap", "-q", "-i", "veth0",
                "-f", "udp port 9 or udp port 7 or ether proto 0x0842", "-w", capture.toString());
        if (poll(Duration.ofSeconds(10), Duration.ofMillis(100), () -> Files.exists(capture), Boolean::booleanValue)
                .isEmpty()) {
            fail("dumpcap did not start:\n" + dumpcap.stop(Duration.ofSeconds(5)).describe());
        }

        String printed = server.shell("wake:nodes --batch 2 --interval " + INTERVAL_SECONDS + " " + GROUP);
        // The last frames are on the wire when the command returns; give the capture a moment to write them.
        poll(Duration.ofSeconds(2), Duration.ofMillis(200), () -> packets(capture).size(), n -> n >= 12);
        dumpcap.stop(Duration.ofSeconds(10));

        assertTrue(printed.contains("Batch 1 at ") && printed.contains(": woke w01, w02 (UDP 198.18.5.255:9,7 + Ethernet veth0)"),
                printed);
        assertTrue(printed.contains("skipped " + BUSY + ": boot in progress"), printed);
        assertTrue(printed.contains("Woke 4 nodes in 2 batches; skipped 1"), printed);

        List<Packet> packets = packets(capture);
        List<List<Packet>> batches = batches(packets);
        assertEquals(List.of(Set.of(MACS.get("w01"), MACS.get("w02")), Set.of(MACS.get("w04"), MACS.get("w05"))),
                batches.stream().map(b -> b.stream().map(Packet::mac).collect(Collectors.toSet())).toList(),
                () -> "the woken MACs by batch, in order:\n" + describe(packets));
        for (List<Packet> batch : batches) {
            for (String mac : batch.stream().map(Packet::mac).collect(Collectors.toCollection(LinkedHashSet::new))) {
                assertEquals(Set.of("udp 9", "udp 7", "ethernet"),
                        batch.stream().filter(p -> p.mac().equals(mac)).map(Packet::via).collect(Collectors.toSet()),
                        () -> "each woken node gets a UDP packet on ports 9 and 7 and a raw frame:\n" + describe(packets));
            }
        }
        double gap = batches.get(1).get(0).time() - batches.get(0).get(0).time();
        assertTrue(gap >= INTERVAL_SECONDS - 0.5, () -> "the batches left " + gap + " s apart, not "
                + INTERVAL_SECONDS + " s:\n" + describe(packets));
    }

    /** One magic packet as tshark read it. */
    record Packet(double time, String via, String mac) {
    }

    private static List<Packet> packets(Path capture) {
        if (!Files.exists(capture)) {
            return List.of();
        }
        // Port 7 belongs to tshark's echo dissector: the Wake-on-LAN heuristic must be tried first.
        Exec.Result read = Exec.run(server.clientDir(), COMMAND_TIMEOUT, List.of("tshark", "-r", capture.toString(),
                "-o", "udp.try_heuristic_first:TRUE", "-Y", "wol", "-T", "fields", "-E", "separator=,",
                "-E", "aggregator=;", "-e", "frame.time_epoch", "-e", "eth.type", "-e", "udp.dstport", "-e", "wol.mac"));
        List<Packet> packets = new ArrayList<>();
        for (String line : read.stdout().lines().toList()) {
            String[] f = line.split(",", -1);
            if (f.length < 4 || f[3].isBlank()) {
                continue;
            }
            String via = f[2].isBlank() ? (f[1].equals("0x0842") ? "ethernet" : "type " + f[1]) : "udp " + f[2];
            // A magic packet names its MAC sixteen times; anything else is not one of ours.
            List<String> macs = List.of(f[3].toLowerCase().split(";"));
            String mac = macs.size() == 16 && macs.stream().distinct().count() == 1 ? macs.get(0) : "malformed " + f[3];
            packets.add(new Packet(Double.parseDouble(f[0]), via, mac));
        }
        return packets;
    }

    /** Packets split where the wire was quiet for longer than a batch takes to leave. */
    private static List<List<Packet>> batches(List<Packet> packets) {
        List<List<Packet>> batches = new ArrayList<>();
        Packet previous = null;
        for (Packet packet : packets) {
            if (previous == null || packet.time() - previous.time() > BATCH_GAP_SECONDS) {
                batches.add(new ArrayList<>());
            }
            batches.get(batches.size() - 1).add(packet);
            previous = packet;
        }
        return batches;
    }

    private static String describe(List<Packet> packets) {
        return packets.stream().map(p -> String.format("%.3f %-8s %s", p.time(), p.via(), p.mac()))
                .collect(Collectors.joining("\n"));
    }
}

package org.diskless.boot.internal;

import static org.diskless.boot.internal.TimelineBookTest.FIXED;
import static org.diskless.boot.internal.TimelineBookTest.LEASED;
import static org.diskless.boot.internal.TimelineBookTest.MAC;
import static org.diskless.boot.internal.TimelineBookTest.dhcp;
import static org.diskless.boot.internal.TimelineBookTest.tftp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootEvent.Kind;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.timeline.RecordedBoot;
import org.junit.jupiter.api.Test;

class BootTimelineCollectorTest {

    /** An address whose inventory lookup fails, as a bug would. */
    private static final InetAddress BROKEN = TimelineBookTest.ip("198.51.100.66");
    private static final Node NODE = Node.builder("node01", HardwareAddress.parse("52:54:00:00:00:21")).address(FIXED)
            .build();

    private final BootTimelineCollector collector = new BootTimelineCollector(new NodeDirectory() {
        @Override
        public Optional<Node> byHardwareAddress(HardwareAddress address) {
            return NODE.hardwareAddress().equals(address) ? Optional.of(NODE) : Optional.empty();
        }

        @Override
        public Optional<Node> byUuid(UUID uuid) {
            return Optional.empty();
        }

        @Override
        public Optional<Node> byAddress(InetAddress address) {
            if (BROKEN.equals(address)) {
                throw new IllegalStateException("the inventory failed");
            }
            return FIXED.equals(address) ? Optional.of(NODE) : Optional.empty();
        }

        @Override
        public Optional<Node> byName(String name) {
            return NODE.name().equals(name) ? Optional.of(NODE) : Optional.empty();
        }

        @Override
        public Collection<Node> nodes() {
            return List.of(NODE);
        }
    });

    @Test
    void anOperatorFindsAClientByNodeNameMacOrAddress() {
        ClientKey node = new ClientKey.Mac(NODE.hardwareAddress());
        assertEquals(Optional.of(node), collector.find("node01"));
        assertEquals(Optional.of(node), collector.find("52-54-00-00-00-21"));
        assertEquals(Optional.of(node), collector.find("192.0.2.21"), "the node's fixed address");
        collector.bootEvent(dhcp(0, Kind.ACK, LEASED, MAC));
        assertEquals(Optional.of(new ClientKey.Mac(MAC)), collector.find("192.0.2.50"), "an address DHCP acked");
        assertEquals(Optional.empty(), collector.find("300.1.1.1"));
        assertEquals(Optional.empty(), collector.find("nosuch"));
    }

    @Test
    void aTftpFetchFromTheFixedAddressShowsOnTheNodesTimeline() {
        collector.bootEvent(tftp(0, Kind.FILE_SENT, FIXED, "README.txt", 1234));
        ClientKey node = collector.find("node01").orElseThrow();
        assertEquals(Optional.of(NODE), collector.nodeOf(node));
        assertEquals(1234, collector.boots(node).get(0).bytes());
    }

    @Test
    void otherBundlesReadAClientsBootsByMacWithEveryKeptEventInOrder() {
        collector.bootEvent(dhcp(0, Kind.DISCOVER, InetAddress.getLoopbackAddress(), NODE.hardwareAddress()));
        collector.bootEvent(tftp(2, Kind.FILE_SENT, FIXED, "images/vmlinuz", 4096));

        List<RecordedBoot> boots = collector.boots(NODE.hardwareAddress());

        assertEquals(1, boots.size());
        RecordedBoot boot = boots.get(0);
        assertEquals(List.of(Kind.DISCOVER, Kind.FILE_SENT), boot.events().stream().map(BootEvent::kind).toList());
        assertEquals(boot.events().get(0).time(), boot.started());
        assertEquals(boot.events().get(1).time(), boot.lastActivity());
        assertEquals(Optional.of(boot), collector.lastBoot(NODE.hardwareAddress()));
        assertEquals(List.of(), collector.boots(MAC), "a client never heard from");
    }

    @Test
    void otherBundlesReadWhichStepsFailedTheBootByTheRulesOfBootStatus() {
        collector.bootEvent(dhcp(0, Kind.DISCOVER, InetAddress.getLoopbackAddress(), NODE.hardwareAddress()));
        BootEvent probe = tftp(1, Kind.FILE_REFUSED, FIXED, "pxelinux.cfg/01-52-54-00-00-00-21: file not found", 0);
        collector.bootEvent(probe);
        collector.bootEvent(tftp(2, Kind.FILE_SENT, FIXED, "pxelinux.cfg/default", 100));
        assertEquals(List.of(), collector.lastBoot(NODE.hardwareAddress()).orElseThrow().failures(),
                "a refusal the client went on from is no failure");

        BootEvent missing = tftp(3, Kind.FILE_REFUSED, FIXED, "vmlinuz: file not found", 0);
        collector.bootEvent(missing);

        assertEquals(List.of(missing), collector.lastBoot(NODE.hardwareAddress()).orElseThrow().failures());
    }

    @Test
    void aBadConfigurationKeepsTheSettingsInForce() {
        collector.modified(Map.of("bootsPerNode", 5));
        collector.modified(Map.of("bootsPerNode", "many"));
        assertEquals(5, collector.settings().bootsPerNode());
    }

    @Test
    void eventsThatCannotBeRecordedAreLoggedThrottledAndEscaped() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 200; i++) {
                collector.bootEvent(tftp(i, Kind.FILE_FAILED, BROKEN, "\u001b]0;owned\u0007" + i, 0));
            }
        } finally {
            System.setErr(stderr);
        }
        String log = logged.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.lines().filter(line -> line.contains("Boot event not recorded")).count(), log);
        assertTrue(log.contains("\\x1b]0;owned\\x07"), log);
        assertFalse(log.contains("\u001b"), "no escape sequence reaches the log");
    }
}

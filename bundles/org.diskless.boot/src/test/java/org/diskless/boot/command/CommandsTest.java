package org.diskless.boot.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent.Kind;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.Node;
import org.diskless.boot.internal.BootTimelines;
import org.diskless.boot.internal.BootView;
import org.diskless.boot.internal.ClientKey;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");
    private static final HardwareAddress MAC = HardwareAddress.parse("52:54:00:12:34:56");
    private static final InetAddress ANY = ip("0.0.0.0");
    private static final InetAddress LEASED = ip("192.0.2.50");
    private static final Node NODE01 = Node.builder("node01", MAC).address(ip("192.0.2.21")).build();
    private static final Node NODE02 = Node.builder("node02", HardwareAddress.parse("52:54:00:00:00:02")).build();
    private static final ClientKey STRANGER = new ClientKey.Address(ip("198.51.100.9"));

    private static BootEvent event(double seconds, BootProtocol protocol, Kind kind, InetAddress client, String detail,
            long bytes, long millis) {
        return BootEvent.builder(T0.plusMillis((long) (seconds * 1000)), protocol, kind, client)
                .hardwareAddress(protocol == BootProtocol.TFTP ? null : MAC)
                .detail(detail).bytes(bytes).duration(Duration.ofMillis(millis)).build();
    }

    private static final BootView NODE01_BOOT = new BootView(new ClientKey.Mac(MAC), T0, T0.plusMillis(2100),
            List.of(event(0, BootProtocol.DHCP, Kind.DISCOVER, ANY, "arch 0", 0, 0),
                    event(0.012, BootProtocol.DHCP, Kind.OFFER, LEASED, "192.0.2.50 file pxelinux.0", 0, 0),
                    event(1, BootProtocol.DHCP, Kind.ACK, LEASED, "192.0.2.50 file pxelinux.0", 0, 0),
                    event(1.5, BootProtocol.TFTP, Kind.FILE_STARTED, LEASED, "pxelinux.0", 0, 0),
                    event(1.6, BootProtocol.TFTP, Kind.FILE_SENT, LEASED, "pxelinux.0", 43110, 100)),
            3,
            List.of(event(2, BootProtocol.TFTP, Kind.FILE_FAILED, LEASED, "vmlinuz: client went away", 4096, 0),
                    event(2.1, BootProtocol.TFTP, Kind.FILE_STARTED, LEASED, "initrd.gz", 0, 0)),
            2, 50_000, 0, BootView.NO_FAILURE, true);
    private static final BootView STRANGER_BOOT = new BootView(STRANGER, T0.plusSeconds(60), T0.plusSeconds(60),
            List.of(BootEvent.builder(T0.plusSeconds(60), BootProtocol.TFTP, Kind.FILE_REFUSED, ip("198.51.100.9"))
                    .detail("nothing: refused with error 1, File not found").build()),
            0, List.of(), 0, 0, 1, 0, true);

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private final Clock clock = Clock.fixed(T0.plusSeconds(300), ZoneOffset.UTC);

    private static BootTimelines timelines(List<BootView> boots, List<Node> nodes) {
        return new BootTimelines() {
            @Override
            public Optional<ClientKey> find(String text) {
                return nodes.stream().filter(n -> n.name().equals(text)).findFirst()
                        .<ClientKey>map(n -> new ClientKey.Mac(n.hardwareAddress()))
                        .or(() -> text.equals("198.51.100.9") ? Optional.of(STRANGER) : Optional.empty());
            }

            @Override
            public List<BootView> boots(ClientKey client) {
                return boots.stream().filter(b -> b.client().equals(client)).toList();
            }

            @Override
            public List<BootView> lastBoots() {
                return boots;
            }

            @Override
            public Collection<Node> nodes() {
                return nodes;
            }

            @Override
            public Optional<Node> nodeOf(ClientKey client) {
                return nodes.stream().filter(n -> client.equals(new ClientKey.Mac(n.hardwareAddress()))).findFirst();
            }
        };
    }

    private String status(String node, List<BootView> boots) {
        StatusCommand command = new StatusCommand();
        command.timelines = timelines(boots, List.of(NODE01, NODE02));
        command.node = node;
        command.out = out;
        command.clock = clock;
        command.zone = ZoneId.of("UTC");
        command.execute();
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void statusShowsTheBootAsOneTimelineWithTimesSizesAndWhatWasLeftOut() {
        String text = status("node01", List.of(NODE01_BOOT, STRANGER_BOOT));
        assertEquals("""
                node01 (52:54:00:12:34:56) — boot started 2026-11-22 06:00:00 (5 min ago), last step at +2.100 s, \
                2 files, 50000 bytes (48.8 KiB)
                  06:00:00.000   +0.000 s  DHCP      DISCOVER  arch 0
                  06:00:00.012   +0.012 s  DHCP      OFFER     192.0.2.50 file pxelinux.0
                  06:00:01.000   +1.000 s  DHCP      ACK       192.0.2.50 file pxelinux.0
                  06:00:01.600   +1.600 s  TFTP      sent      pxelinux.0  43110 bytes (42.1 KiB) in 0.100 s
                  … 3 events not kept …
                  06:00:02.000   +2.000 s  TFTP      stopped   vmlinuz: client went away (after 4096 bytes (4.0 KiB))
                  06:00:02.100   +2.100 s  TFTP      started   initrd.gz
                """, text);
    }

    @Test
    void aSizeBelowAKibibyteIsWrittenOnce() {
        assertEquals("435 bytes", TimelineText.size(435));
        assertEquals("123457 bytes (120.6 KiB)", TimelineText.size(123_457));
    }

    @Test
    void aFailureIsInCapitalsAndCountedAStepTheClientWentOnFromIsNot() {
        BootView stopped = new BootView(new ClientKey.Mac(MAC), T0, T0.plusSeconds(2),
                List.of(event(0, BootProtocol.TFTP, Kind.FILE_REFUSED, LEASED,
                                "pxelinux.cfg/01-52-54-00-12-34-56: refused with error 1, File not found", 0, 0),
                        event(1, BootProtocol.TFTP, Kind.FILE_SENT, LEASED, "pxelinux.cfg/default", 435, 5),
                        event(2, BootProtocol.TFTP, Kind.FILE_REFUSED, LEASED,
                                "vmlinuz: refused with error 1, File not found", 0, 0)),
                0, List.of(), 1, 435, 1, 2, true);
        String text = status("node01", List.of(stopped));
        assertTrue(text.contains("refused   pxelinux.cfg/01-52-54-00-12-34-56: refused with error 1"), text);
        assertTrue(text.contains("REFUSED   vmlinuz: refused with error 1, File not found"), text);
        assertTrue(text.contains("pxelinux.cfg/default  435 bytes in 0.005 s"), text);
        assertTrue(text.lines().findFirst().orElseThrow().endsWith(", 1 file, 435 bytes, 1 failure"), text);
    }

    @Test
    void statusAndNodesSayTheSameOfABootAtTheSameMoment() {
        String header = status("node01", List.of(NODE01_BOOT)).lines().findFirst().orElseThrow();
        NodesCommand nodes = new NodesCommand();
        nodes.timelines = timelines(List.of(NODE01_BOOT), List.of(NODE01));
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        nodes.out = new PrintStream(table, true, StandardCharsets.UTF_8);
        nodes.clock = clock;
        nodes.execute();
        String row = table.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("node01"))
                .findFirst().orElseThrow();
        for (String same : List.of("(5 min ago)", "last step at +2.100 s", "50000 bytes (48.8 KiB)")) {
            assertTrue(header.contains(same), header);
        }
        for (String same : List.of("5 min ago", "+2.100 s", "2 / 48.8 KiB", "TFTP started initrd.gz")) {
            assertTrue(row.contains(same), row);
        }
    }

    @Test
    void aTransferStillRunningShowsItsStartAndAFinishedOneOnlyItsEnd() {
        String text = status("node01", List.of(NODE01_BOOT));
        assertFalse(text.contains("started   pxelinux.0"), text);
        assertTrue(text.contains("started   initrd.gz"), text);
    }

    @Test
    void statusWithoutANodeShowsEveryClientsLastBoot() {
        String text = status(null, List.of(NODE01_BOOT, STRANGER_BOOT));
        assertTrue(text.startsWith("node01 (52:54:00:12:34:56) — boot started"), text);
        assertTrue(text.contains("\n\n198.51.100.9 (not in the inventory) — boot started 2026-11-22 06:01:00 (4 min ago)"),
                text);
        assertTrue(text.contains("REFUSED   nothing: refused with error 1, File not found"), text);
    }

    @Test
    void statusOfANodeNeverSeenSaysSo() {
        assertEquals("node02 (52:54:00:00:00:02): no boot seen yet.\n",
                status("node02", List.of(NODE01_BOOT)));
    }

    @Test
    void statusOfSomethingUnknownTellsWhatToGive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> status("nosuch", List.of()));
        assertTrue(e.getMessage().contains("No node named 'nosuch'"), e.getMessage());
    }

    @Test
    void nodesListsEveryNodeWhereItStandsThenUnknownClients() {
        NodesCommand command = new NodesCommand();
        command.timelines = timelines(List.of(STRANGER_BOOT, NODE01_BOOT), List.of(NODE01, NODE02));
        command.out = out;
        command.clock = clock;
        command.execute();
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).matches("Node\\s+[|│]\\s*MAC\\s+[|│]\\s*Address\\s+[|│]\\s*Boot started.*"), lines.get(0));
        String node01 = lines.stream().filter(l -> l.startsWith("node01")).findFirst().orElseThrow();
        assertTrue(node01.contains("52:54:00:12:34:56") && node01.contains("192.0.2.21") && node01.contains("5 min ago")
                && node01.contains("2 / 48.8 KiB") && node01.contains("TFTP started initrd.gz"), node01);
        String node02 = lines.stream().filter(l -> l.startsWith("node02")).findFirst().orElseThrow();
        assertTrue(node02.contains("never seen"), node02);
        String stranger = lines.get(lines.size() - 1);
        assertTrue(stranger.startsWith("(unknown)") && stranger.contains("198.51.100.9")
                && stranger.contains("TFTP REFUSED nothing"), stranger);
    }

    @Test
    void agesReadNaturally() {
        assertEquals("5 s ago", TimelineText.age(T0, T0.plusSeconds(5)));
        assertEquals("3 min ago", TimelineText.age(T0, T0.plusSeconds(200)));
        assertEquals("5 h ago", TimelineText.age(T0, T0.plusSeconds(5 * 3600 + 10)));
        assertEquals("3 d ago", TimelineText.age(T0, T0.plusSeconds(3 * 86400)));
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

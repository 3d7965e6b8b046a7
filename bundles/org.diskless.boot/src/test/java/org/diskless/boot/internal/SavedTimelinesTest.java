package org.diskless.boot.internal;

import static org.diskless.boot.internal.TimelineBookTest.ANY;
import static org.diskless.boot.internal.TimelineBookTest.LEASED;
import static org.diskless.boot.internal.TimelineBookTest.MAC;
import static org.diskless.boot.internal.TimelineBookTest.OTHER_MAC;
import static org.diskless.boot.internal.TimelineBookTest.dhcp;
import static org.diskless.boot.internal.TimelineBookTest.firmwareDiscover;
import static org.diskless.boot.internal.TimelineBookTest.ip;
import static org.diskless.boot.internal.TimelineBookTest.tftp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each client's last boot kept across a restart: bounded, and a damaged file refused whole. */
class SavedTimelinesTest {

    @TempDir
    Path dir;

    private final TimelineBook book = new TimelineBook(TimelineSettings.DEFAULTS, address -> Optional.empty());

    /** Three clients: one that stopped at a refusal, one with more events than a boot keeps, one known by address. */
    private void threeClients() {
        book.record(firmwareDiscover(0, MAC));
        book.record(dhcp(1, Kind.ACK, LEASED, MAC));
        book.record(tftp(1.5, Kind.FILE_REFUSED, LEASED, "pxelinux.0: refused with error 1, File not found", 0));
        for (int i = 0; i < 60; i++) {
            book.record(dhcp(2 + i, i % 2 == 0 ? Kind.REQUEST : Kind.ACK, ip("192.0.2.60"), OTHER_MAC));
        }
        book.record(tftp(70, Kind.FILE_SENT, ip("198.51.100.9"), "vmlinuz", 5_000_000));
    }

    @Test
    void whatIsWrittenReadsBackAsTheSameBoots() throws Exception {
        threeClients();
        List<BootView> boots = book.lastBoots();
        assertEquals(boots, SavedTimelines.read(SavedTimelines.write(boots, 1 << 20)));
        assertTrue(boots.get(1).omitted() > 0, "the long boot left events out");
        assertEquals(1, boots.get(2).failures());
    }

    @Test
    void aRestartKeepsEachClientsLastBootAndItGoesOn() throws Exception {
        Path file = dir.resolve("last-boots.txt");
        BootTimelineCollector before = new BootTimelineCollector(Optional.of(file), Map.of());
        before.bootEvent(firmwareDiscover(0, MAC));
        before.bootEvent(dhcp(1, Kind.ACK, LEASED, MAC));
        before.bootEvent(tftp(1.5, Kind.FILE_SENT, LEASED, "pxelinux.0", 42_000));
        List<BootView> kept = before.boots(new ClientKey.Mac(MAC));
        before.deactivate();

        BootTimelineCollector after = new BootTimelineCollector(Optional.of(file), Map.of());
        assertEquals(kept, after.boots(new ClientKey.Mac(MAC)));
        after.bootEvent(dhcp(2, Kind.REQUEST, ANY, MAC));
        BootView boot = after.boots(new ClientKey.Mac(MAC)).get(0);
        assertEquals(4, boot.eventCount(), "the restored boot goes on");
        after.bootEvent(firmwareDiscover(30, MAC));
        assertEquals(2, after.boots(new ClientKey.Mac(MAC)).size(), "and the rules apply to it as before");
        after.deactivate();
    }

    @Test
    void theFileStaysWithinItsBoundKeepingTheMostRecentlyActiveClients() throws Exception {
        for (int i = 0; i < 500; i++) {
            HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, (byte) (i >> 8), (byte) i});
            book.record(firmwareDiscover(i, mac));
            book.record(tftp(i + 0.5, Kind.FILE_SENT, ip("192.0.2.1"), "x".repeat(200), 1));
        }
        String text = SavedTimelines.write(book.lastBoots(), 16_384);
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= 16_384, () -> text.length() + " bytes");
        List<BootView> read = SavedTimelines.read(text);
        assertFalse(read.isEmpty());
        assertEquals(book.lastBoots().subList(0, read.size()), read, "the most recently active first");
    }

    @Test
    void aFileCutAnywhereOrAlteredIsRefusedWhole() throws Exception {
        threeClients();
        String text = SavedTimelines.write(book.lastBoots(), 1 << 20);
        List<String> lines = text.lines().toList();
        for (int keep = 0; keep < lines.size(); keep++) {
            String cut = String.join("\n", lines.subList(0, keep)) + "\n";
            assertThrows(SavedTimelines.DamagedException.class, () -> SavedTimelines.read(cut), "cut at line " + keep);
        }
        for (String[] change : new String[][] {{"\tTFTP\t", "\tTFTP\tX\t"}, {"\t5000000\t", "\t-5\t"},
                {"mac:1:", "mac:x:"}, {"\t198.51.100.9\t", "\texample.org\t"}, {"end\t3", "end\t2"}}) {
            String altered = text.replaceFirst(java.util.regex.Pattern.quote(change[0]), change[1]);
            assertFalse(altered.equals(text), change[0]);
            assertThrows(SavedTimelines.DamagedException.class, () -> SavedTimelines.read(altered), change[0]);
        }
    }

    @Test
    void aDamagedFileLeavesTheTimelinesEmptyAndIsWrittenAnew() throws Exception {
        Path file = dir.resolve("last-boots.txt");
        Files.writeString(file, SavedTimelines.HEADER + "\nboot\tgarbage\n");
        BootTimelineCollector collector = new BootTimelineCollector(Optional.of(file), Map.of());
        assertTrue(collector.lastBoots().isEmpty());
        collector.bootEvent(firmwareDiscover(0, MAC));
        collector.deactivate();
        assertEquals(1, SavedTimelines.load(file, 1 << 20).orElseThrow().size());
    }

    @Test
    void aFileLongerThanItsBoundIsRefused() throws Exception {
        threeClients();
        Path file = dir.resolve("last-boots.txt");
        SavedTimelines.save(file, SavedTimelines.write(book.lastBoots(), 1 << 20));
        long size = Files.size(file);
        assertEquals(3, SavedTimelines.load(file, size).orElseThrow().size());
        assertThrows(SavedTimelines.DamagedException.class, () -> SavedTimelines.load(file, size - 1));
        assertTrue(SavedTimelines.load(dir.resolve("none.txt"), size).isEmpty(), "no file is no boots");
    }

    @Test
    void aDetailInTheFileIsEscapedAndCutAsIfItCameFromTheNetwork() throws Exception {
        book.record(firmwareDiscover(0, MAC));
        String text = SavedTimelines.write(book.lastBoots(), 1 << 20).replace("\tarch 0\n",
                "\tarch 0 \u001b[2J" + "y".repeat(5000) + "\n");
        String detail = SavedTimelines.read(text).get(0).first().get(0).detail();
        assertTrue(detail.startsWith("arch 0 \\x1b[2J"), detail);
        assertTrue(detail.length() < KeptEvent.MAX_DETAIL_CHARS + 20, () -> detail.length() + " characters");
    }
}

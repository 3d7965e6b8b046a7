package org.diskless.nfsroot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which entry decides for a node: precedence by kind, the nearest exported directory, extra tables, links. */
class ExportTableTest {

    private static final java.net.Inet4Address NODE = Lab.ipv4("192.0.2.21");

    private static ExportTable table(String text) {
        return ExportTable.of(Map.of("/etc/exports", text));
    }

    private static String decided(ExportVerdict verdict) {
        return assertInstanceOf(ExportVerdict.Exported.class, verdict).entry().clientText();
    }

    @Test
    void aHostBeatsANetworkWhichBeatsWhatNeedsALookupOrAnyoneWhateverTheOrder() {
        assertEquals("192.0.2.21(rw)", decided(table("/r *(ro) 192.0.2.0/24(ro) 192.0.2.21(rw)\n").lookup("/r", NODE)));
        assertEquals("192.0.2.0/24(rw)", decided(table("/r *(ro) @ng(ro) foo*(ro) 192.0.2.0/24(rw)\n")
                .lookup("/r", NODE)), "patterns and netgroups rank below networks: no lookup needed");
        ExportVerdict.Undecided netgroup = assertInstanceOf(ExportVerdict.Undecided.class,
                table("/r *(rw) @ng(ro)\n").lookup("/r", NODE));
        assertEquals(Optional.of("*(rw)"), netgroup.fallback().map(ExportEntry::clientText),
                "a netgroup ranks above anyone");
    }

    @Test
    void withinAKindTheFirstWrittenCounts() {
        assertEquals("192.0.2.0/16(ro)", decided(table("/r 192.0.2.0/16(ro) 192.0.2.0/24(rw)\n").lookup("/r", NODE)));
    }

    @Test
    void anyoneCountsOnlyWhenNothingElseNamesTheNode() {
        assertEquals("*(rw,no_root_squash)", decided(table("/r 192.0.2.22(ro) *(rw,no_root_squash)\n").lookup("/r", NODE)));
    }

    @Test
    void aNameThatMayBeTheNodeLeavesItUndecidedAboveWhatWouldOtherwiseCount() {
        ExportVerdict verdict = table("/r 192.0.2.0/24(ro) node01(rw)\n").lookup("/r", NODE);
        ExportVerdict.Undecided undecided = assertInstanceOf(ExportVerdict.Undecided.class, verdict);
        assertEquals("node01(rw)", undecided.undecided().get(0).clientText());
        assertEquals(Optional.of("192.0.2.0/24(ro)"), undecided.fallback().map(ExportEntry::clientText));
        ExportVerdict.Undecided sameKind = assertInstanceOf(ExportVerdict.Undecided.class,
                table("/r node01(ro) 192.0.2.21(rw)\n").lookup("/r", NODE));
        assertEquals(Optional.of("192.0.2.21(rw)"), sameKind.fallback().map(ExportEntry::clientText),
                "both single hosts: the name, written first, counts if it is the node");
    }

    @Test
    void theNearestExportedDirectoryAtOrAboveThePathDecides() {
        ExportTable table = table("/export 192.0.2.0/24(rw,no_root_squash)\n/export/root 192.0.2.99(ro)\n");
        assertEquals("192.0.2.0/24(rw,no_root_squash)", decided(table.lookup("/export/root/node01", NODE)),
                "/export/root is exported, but not to it: the directory above is");
        ExportVerdict.NotExported none = assertInstanceOf(ExportVerdict.NotExported.class,
                table("/export/root 192.0.2.99(ro)\n").lookup("/export/root/node01", NODE));
        assertEquals(List.of("192.0.2.99(ro)"), none.toOthers().stream().map(ExportEntry::clientText).toList());
        assertEquals(List.of(), assertInstanceOf(ExportVerdict.NotExported.class,
                table("/elsewhere *(rw)\n").lookup("/export/root/node01", NODE)).toOthers());
    }

    @Test
    void aNodeWithoutAnAddressNeedsItsWholeSubnet() {
        assertEquals("192.0.2.0/23(rw)", decided(table("/r 192.0.2.0/25(ro) 192.0.2.0/23(rw)\n").lookup("/r", Lab.LAN)));
        assertInstanceOf(ExportVerdict.NotExported.class, table("/r 192.0.2.0/25(rw)\n").lookup("/r", Lab.LAN));
    }

    @Test
    void extraTablesAreReadAfterTheFileInNameOrderAndTheFirstEntryForAClientCounts(@TempDir Path etc) throws IOException {
        Files.writeString(etc.resolve("exports"), "/r 192.0.2.21(ro)\n");
        Files.createDirectories(etc.resolve("exports.d"));
        Files.writeString(etc.resolve("exports.d/b.exports"), "/r 192.0.2.21(rw) 192.0.2.0/24(rw)\n/s 192.0.2.21(rw)\n");
        Files.writeString(etc.resolve("exports.d/a.exports"), "/s 192.0.2.21(ro)\n");
        Files.writeString(etc.resolve("exports.d/.hidden.exports"), "/t 192.0.2.21(rw)\n");
        Files.writeString(etc.resolve("exports.d/c.conf"), "/t 192.0.2.21(rw)\n");
        ExportTable table = ExportTable.read(etc.resolve("exports"), Optional.of(etc.resolve("exports.d")));
        assertEquals("192.0.2.21(ro)", decided(table.lookup("/r", NODE)));
        assertEquals("192.0.2.21(ro)", decided(table.lookup("/s", NODE)), "a.exports before b.exports");
        assertInstanceOf(ExportVerdict.NotExported.class, table.lookup("/t", NODE));
        assertEquals(List.of(), table.notes());
    }

    @Test
    void pathsAreComparedAsTheServerSeesThemThroughSymbolicLinks(@TempDir Path folder) throws IOException {
        Path real = Files.createDirectories(folder.resolve("srv/roots/node01"));
        Files.createSymbolicLink(folder.resolve("export"), folder.resolve("srv/roots"));
        ExportTable table = table(real + " 192.0.2.21(rw)\n");
        assertEquals("192.0.2.21(rw)", decided(table.lookup(folder + "/export/node01", NODE)));
        assertEquals("192.0.2.21(rw)", decided(table.lookup(folder + "/export/../export/node01/", NODE)));
    }

    @Test
    void aFileTooLargeIsReadUpToItsCapAndSaysSo(@TempDir Path etc) throws IOException {
        StringBuilder big = new StringBuilder("/r 192.0.2.21(rw)\n");
        while (big.length() <= ExportTable.MAX_FILE_BYTES) {
            big.append("# padding padding padding padding padding padding padding padding padding padding\n");
        }
        Files.writeString(etc.resolve("exports"), big);
        ExportTable table = ExportTable.read(etc.resolve("exports"), Optional.empty());
        assertEquals("192.0.2.21(rw)", decided(table.lookup("/r", NODE)));
        assertTrue(table.notes().get(0).contains("only its first MiB is read"), table.notes().toString());
    }
}

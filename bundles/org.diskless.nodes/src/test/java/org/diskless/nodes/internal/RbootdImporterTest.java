package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

/** What the importer makes of rbootd.conf; the format itself is RbootdConfTest's (support). */
class RbootdImporterTest {

    @Test
    void machinesAreNamedAfterTheirMacAndTheirFilesKeepTheirOrderAsNumberedRoles() {
        ImportResult result = new RbootdImporter().read(List.of(
                "8::9:1:C6:75   SYSHPBSD,SYSHPUX   # jaguar",
                "08:00:09:0:59:5b",
                "08:00:09:zz:00:01   SYSHPBSD"));
        assertEquals(List.of(
                Node.builder("node-08000901c675", HardwareAddress.parse("08:00:09:01:c6:75"))
                        .bootFiles(Map.of("rmp1", "SYSHPBSD", "rmp2", "SYSHPUX")).build(),
                Node.of("node-08000900595b", HardwareAddress.parse("08:00:09:00:59:5b"))), result.nodes());
        assertEquals(List.of(3), result.skipped().stream().map(SkippedLine::line).toList());
    }

    @Test
    void aMachineWhoseFileANodeFileCannotKeepIsSkippedNotImportedChanged() {
        ImportResult result = new RbootdImporter().read(List.of("08:00:00:00:00:05 \u0001 SYSHPBSD"));
        assertEquals(List.of(), result.nodes());
        assertEquals(1, result.skipped().size());
        assertEquals(true, result.skipped().get(0).reason().contains("bootFiles"), result.skipped().toString());
    }
}

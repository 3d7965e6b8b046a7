package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class RbootdImporterTest {

    private static final String RBOOTD_CONF = """
            #
            # ethernet addr     boot file(s)        comments
            #
            08:00:09:0:66:ad    SYSHPBSD            # snake
            08:00:09:0:59:5b                        # vandy (anything)
            8::9:1:C6:75        SYSHPBSD,SYSHPUX    # jaguar (either)
            08:00:09:zz:00:01   SYSHPBSD
            """;

    private final ImportResult result = new RbootdImporter().read(RBOOTD_CONF.lines().toList());

    @Test
    void readsShortAndEmptyOctetsAndNamesNodesAfterTheirMac() {
        assertEquals(List.of("node-0800090066ad", "node-08000900595b", "node-08000901c675"),
                result.nodes().stream().map(Node::name).toList());
        assertEquals(HardwareAddress.parse("08:00:09:01:c6:75"), result.nodes().get(2).hardwareAddress());
    }

    @Test
    void bootFilesKeepTheirOrderAsNumberedRoles() {
        assertEquals(Map.of("rmp1", "SYSHPBSD"), result.nodes().get(0).bootFiles());
        assertEquals(Map.of(), result.nodes().get(1).bootFiles());
        assertEquals(Map.of("rmp1", "SYSHPBSD", "rmp2", "SYSHPUX"), result.nodes().get(2).bootFiles());
    }

    @Test
    void skipsABadMacWithItsLine() {
        assertEquals(List.of(7), result.skipped().stream().map(SkippedLine::line).toList());
    }
}

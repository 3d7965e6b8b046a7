package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class ClusterconfImporterTest {

    private static final String CLUSTERCONF = """
            # /etc/clusterconf -- HP-UX 9.0 cluster of Series 300/400
            # machine ID:cnode ID:cnode name:type:swap:csp
            080009123456:
            080009123456:1:hpserv:r:1:4
            08000901abcd:2:hp370a:c:1:0
            08000901ABCE:3:hp370b:c:3:0
            08000901abcf:2:hp370c:c:1:0
            08000901abd0:4:hp340longname:c:1:0
            0800091:5:hp340:c:1:0
            08000901abd2:6:hp345:x:1:0
            """;

    private final ImportResult result = new ClusterconfImporter().read(CLUSTERCONF.lines().toList());

    @Test
    void importsTheClientCnodesAfterTheServerAddressLine() {
        assertEquals(List.of("hp370a", "hp370b"), result.nodes().stream().map(Node::name).toList());
        assertEquals(HardwareAddress.parse("08:00:09:01:ab:ce"), result.nodes().get(1).hardwareAddress());
    }

    @Test
    void skipsTheServerDuplicateIdsLongNamesBadIdsAndTypes() {
        assertEquals(List.of(4, 7, 8, 9, 10), result.skipped().stream().map(SkippedLine::line).toList());
        assertTrue(result.skipped().get(0).reason().contains("cluster server"), result.skipped().toString());
        assertTrue(result.skipped().get(1).reason().contains("cnode ID 2"), result.skipped().toString());
        assertTrue(result.skipped().get(2).reason().contains("8 characters"), result.skipped().toString());
        assertTrue(result.skipped().get(3).reason().contains("machine ID"), result.skipped().toString());
        assertTrue(result.skipped().get(4).reason().contains("type 'x'"), result.skipped().toString());
    }

    @Test
    void anEmptyFirstLineIsTheOldHeader() {
        ImportResult old = new ClusterconfImporter().read(List.of("# HP-UX 6.2", "", "08000901abcd:2:hp320:c:1:0"));
        assertEquals(List.of("hp320"), old.nodes().stream().map(Node::name).toList());
        assertEquals(List.of(), old.skipped());
    }
}

package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

/** What the importer makes of clusterconf; the format itself is ClusterconfTest's (support). */
class ClusterconfImporterTest {

    @Test
    void clientCnodesBecomeNodesAndTheServerAndUnusableLinesAreSkippedInLineOrder() {
        ImportResult result = new ClusterconfImporter().read(List.of(
                "080009123456:",
                "08000901abce:3:hp370b:c:1:0",
                "080009123456:1:hpserv:r:1:4",
                "08000901abcd:3:hp370a:c:1:0"));
        assertEquals(List.of(Node.of("hp370b", HardwareAddress.parse("08:00:09:01:ab:ce"))), result.nodes());
        assertEquals(List.of(3, 4), result.skipped().stream().map(SkippedLine::line).toList());
        assertTrue(result.skipped().get(0).reason().contains("cluster server"), result.skipped().toString());
        assertTrue(result.skipped().get(1).reason().contains("cnode ID 3"), result.skipped().toString());
    }
}

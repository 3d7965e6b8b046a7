package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class EthersImporterTest {

    private static final String ETHERS = """
            # /etc/ethers
            8:0:20:1:2:3        sparky
            08:00:20:0a:0b:0c   lab-sun2.example.org   # the old one
            00:1a:2b:3c:4d:5e   192.168.30.40

            zz:00:20:01:02:03   broken
            08:00:20:01:02:05
            08:00:20:01:02:06   not_a_host!
            """;

    private final ImportResult result = new EthersImporter().read(ETHERS.lines().toList());

    @Test
    void readsNamesAndAddressesWithShortOctets() {
        List<Node> nodes = result.nodes();
        assertEquals(List.of("sparky", "lab-sun2.example.org", "node-001a2b3c4d5e"),
                nodes.stream().map(Node::name).toList());
        assertEquals(HardwareAddress.parse("08:00:20:01:02:03"), nodes.get(0).hardwareAddress());
        assertEquals("192.168.30.40", nodes.get(2).address().get().getHostAddress());
    }

    @Test
    void skipsBadLinesWithTheirNumbers() {
        assertEquals(List.of(6, 7, 8), result.skipped().stream().map(SkippedLine::line).toList());
        assertTrue(result.skipped().get(0).reason().contains("not an Ethernet MAC"), result.skipped().toString());
        assertTrue(result.skipped().get(1).reason().contains("1 field"), result.skipped().toString());
    }
}

package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.diskless.api.nodes.Node;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code nodes:import} of a file an operator hands us (dhcpd.conf, dnsmasq, /etc/ethers, HP-UX
 * clusterconf, BSD rbootd.conf): the importer never throws, it gives nodes and skipped lines that
 * name a line of the file; and every node it gives is one the inventory keeps, so the node
 * configuration {@code nodes:import} writes for it reads back as the same node after a restart.
 *
 * <p>Input: the format name ({@code dhcpd}, {@code dnsmasq}, {@code ethers}, {@code clusterconf},
 * {@code rbootd}) on the first line, then the file, read as ISO-8859-1 like the command does.
 */
class NodeImportersFuzzTest {

    @FuzzTest
    void read(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int newline = text.indexOf('\n');
        if (newline < 0) {
            return;
        }
        Optional<ImportFormat> format = ImportFormat.byName(text.substring(0, newline));
        if (format.isEmpty()) {
            return;
        }
        // The way Files.readAllLines splits a file.
        List<String> lines = new BufferedReader(new StringReader(text.substring(newline + 1))).lines().toList();
        ImportResult result = format.get().importer().read(lines);
        for (SkippedLine skipped : result.skipped()) {
            assertTrue(skipped.line() >= 1 && skipped.line() <= lines.size(), "skipped " + skipped + " of "
                    + lines.size() + " lines");
        }
        for (Node node : result.nodes()) {
            assertEquals(node, NodeRecordParser.parse(NodeRecordParser.toProperties(node)),
                    "the node configuration written for an imported node reads back as another node");
        }
    }
}

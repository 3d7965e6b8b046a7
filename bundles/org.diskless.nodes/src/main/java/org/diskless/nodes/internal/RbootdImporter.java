package org.diskless.nodes.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;

/**
 * BSD {@code /etc/rbootd.conf} (rbootd(8)): a MAC, then boot file names, separated by white space
 * and/or commas; {@code #} starts a comment. The file names no host, so nodes are named after
 * their MAC; the boot files, in the order the client is offered them, get roles {@code rmp1},
 * {@code rmp2}, and so on.
 */
final class RbootdImporter implements NodeImporter {

    /** Role prefix of the files an RMP client is offered, numbered from 1 in file order. */
    static final String ROLE = "rmp";

    @Override
    public ImportResult read(List<String> lines) {
        List<Node> nodes = new ArrayList<>();
        List<SkippedLine> skipped = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String content = ImportSupport.stripComment(lines.get(i)).trim();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("[\\s,]+");
            Optional<HardwareAddress> mac = ImportSupport.mac(fields[0]);
            if (mac.isEmpty()) {
                skipped.add(new SkippedLine(i + 1, "'" + fields[0] + "' is not an Ethernet MAC"
                        + " (six octets separated by ':')"));
                continue;
            }
            Map<String, String> bootFiles = new LinkedHashMap<>();
            for (int f = 1; f < fields.length; f++) {
                bootFiles.put(ROLE + f, fields[f]);
            }
            nodes.add(Node.builder(ImportSupport.derivedName(mac.get()), mac.get()).bootFiles(bootFiles).build());
        }
        return new ImportResult(nodes, skipped);
    }
}

package org.diskless.nodes.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;

/**
 * HP-UX {@code /etc/clusterconf}, as described in clusterconf(4) of HP-UX 6.2 to 9.0 (Series
 * 300/400 diskless clusters). Lines starting with {@code #} are comments. The first other line is
 * the cluster server's own link-level address followed by {@code :} (HP-UX 9) or is empty
 * (HP-UX 6); it names no cnode. Every further line is one cnode:
 *
 * <pre>machine ID:cnode ID:cnode name:cnode type:swap location:csp</pre>
 *
 * machine ID is the 12-hex-digit Ethernet address, cnode ID 1-255 and unique, cnode name up to 8
 * characters and unique, type {@code r} for the cluster (root) server and {@code c} for a client.
 * Only clients are imported: the server boots from its own disk. The swap location and csp count
 * concern the HP-UX kernel, not the boot server, and are not kept.
 */
final class ClusterconfImporter implements NodeImporter {

    private static final Pattern MACHINE_ID = Pattern.compile("\\p{XDigit}{12}");
    private static final Pattern SERVER_LINE = Pattern.compile("\\p{XDigit}{12}:");
    private static final int MAX_NAME = 8;

    @Override
    public ImportResult read(List<String> lines) {
        List<Node> nodes = new ArrayList<>();
        List<SkippedLine> skipped = new ArrayList<>();
        Set<Integer> cnodeIds = new HashSet<>();
        boolean header = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            int number = i + 1;
            if (line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                if (line.isEmpty() || SERVER_LINE.matcher(line).matches()) {
                    continue;
                }
            }
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split(":", -1);
            if (fields.length < 4) {
                skipped.add(new SkippedLine(number, "expected machine ID:cnode ID:cnode name:type:swap:csp, found "
                        + fields.length + " field(s)"));
                continue;
            }
            String machineId = fields[0].trim();
            if (!MACHINE_ID.matcher(machineId).matches()) {
                skipped.add(new SkippedLine(number, "machine ID '" + machineId
                        + "' is not a 12-digit hexadecimal Ethernet address"));
                continue;
            }
            int cnodeId;
            try {
                cnodeId = Integer.parseInt(fields[1].trim());
            } catch (NumberFormatException e) {
                cnodeId = -1;
            }
            if (cnodeId < 1 || cnodeId > 255) {
                skipped.add(new SkippedLine(number, "cnode ID '" + fields[1].trim() + "' is not between 1 and 255"));
                continue;
            }
            if (!cnodeIds.add(cnodeId)) {
                skipped.add(new SkippedLine(number, "cnode ID " + cnodeId + " is used by an earlier line"));
                continue;
            }
            String name = fields[2].trim();
            if (name.length() > MAX_NAME || !NodeRecordParser.isHostName(name)) {
                skipped.add(new SkippedLine(number, "cnode name '" + name
                        + "' is not a host name of at most 8 characters"));
                continue;
            }
            String type = fields[3].trim();
            if (type.equals("r")) {
                skipped.add(new SkippedLine(number, "'" + name + "' is the cluster server (type r), which boots"
                        + " from its own disk"));
                continue;
            }
            if (!type.equals("c")) {
                skipped.add(new SkippedLine(number, "cnode type '" + type + "' is neither r (server) nor c (client)"));
                continue;
            }
            HardwareAddress mac = HardwareAddress.parse(machineId);
            nodes.add(Node.builder(name, mac).build());
        }
        return new ImportResult(nodes, skipped);
    }
}

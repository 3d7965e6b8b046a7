package org.diskless.nodes.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;

/**
 * {@code /etc/ethers} (ethers(5)): {@code <mac> <host name or IPv4 address>}, {@code #} comments.
 * A node given by address only is named after its MAC ({@code node-080020010203}).
 */
final class EthersImporter implements NodeImporter {

    @Override
    public ImportResult read(List<String> lines) {
        List<ImportResult.Found> nodes = new ArrayList<>();
        List<SkippedLine> skipped = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String content = ImportSupport.stripComment(lines.get(i)).trim();
            if (content.isEmpty()) {
                continue;
            }
            int number = i + 1;
            String[] fields = content.split("\\s+");
            if (fields.length != 2) {
                skipped.add(new SkippedLine(number, "expected a MAC and a host name or IPv4 address, found "
                        + fields.length + " field(s)"));
                continue;
            }
            Optional<HardwareAddress> mac = ImportSupport.mac(fields[0]);
            if (mac.isEmpty()) {
                skipped.add(new SkippedLine(number, "'" + fields[0] + "' is not an Ethernet MAC"));
                continue;
            }
            Optional<InetAddress> address = NodeRecordParser.ipv4(fields[1]);
            String name = address.isPresent() ? ImportSupport.derivedName(mac.get()) : fields[1];
            if (!NodeRecordParser.isHostName(name)) {
                skipped.add(new SkippedLine(number, "'" + name + "' is neither a host name nor an IPv4 address"));
                continue;
            }
            ImportSupport.add(Node.builder(name, mac.get()).address(address.orElse(null)).build(), number, nodes, skipped);
        }
        return new ImportResult(nodes, skipped);
    }
}

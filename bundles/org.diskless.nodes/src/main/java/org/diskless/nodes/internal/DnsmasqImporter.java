package org.diskless.nodes.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;

/**
 * dnsmasq {@code dhcp-host=} lines (dnsmasq.conf, or {@code --dhcp-host=} options), fields in any
 * order as dnsmasq takes them: MACs, {@code id:} client ids, {@code set:}/{@code net:} tags (the
 * first becomes the node's group), {@code tag:} conditions, an IPv4 address, an {@code [IPv6]}
 * address, a host name, a lease time ({@code 45m}, {@code 12h}, {@code infinite}) and
 * {@code ignore}. A node has one MAC: the first is imported and each further MAC of the line is
 * reported as skipped. Other configuration lines are not nodes and are passed over in silence.
 */
final class DnsmasqImporter implements NodeImporter {

    private static final String PREFIX = "dhcp-host=";
    private static final Pattern MAC_LIKE = Pattern.compile("(?:\\p{XDigit}{1,2}-)?[\\p{XDigit}*]{1,2}(?::[\\p{XDigit}*]{1,2})+");
    private static final Pattern LEASE = Pattern.compile("\\d+[smhdw]?|infinite");

    @Override
    public ImportResult read(List<String> lines) {
        List<ImportResult.Found> nodes = new ArrayList<>();
        List<SkippedLine> skipped = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("--")) {
                line = line.substring(2);
            }
            if (!line.startsWith(PREFIX)) {
                continue;
            }
            readHost(i + 1, line.substring(PREFIX.length()), nodes, skipped);
        }
        return new ImportResult(nodes, skipped);
    }

    private static void readHost(int number, String value, List<ImportResult.Found> nodes, List<SkippedLine> skipped) {
        List<HardwareAddress> macs = new ArrayList<>();
        Optional<InetAddress> address = Optional.empty();
        Optional<String> name = Optional.empty();
        Optional<String> group = Optional.empty();
        for (String raw : value.split(",")) {
            String field = raw.trim();
            if (field.isEmpty() || field.startsWith("id:") || field.startsWith("tag:")
                    || (field.startsWith("[") && field.endsWith("]")) || LEASE.matcher(field).matches()) {
                continue;
            }
            if (field.equals("ignore")) {
                skipped.add(new SkippedLine(number, "dnsmasq is told to ignore this host ('ignore')"));
                return;
            }
            if (field.startsWith("set:") || field.startsWith("net:")) {
                if (group.isEmpty()) {
                    group = Optional.of(field.substring(4));
                }
                continue;
            }
            Optional<InetAddress> ipv4 = NodeRecordParser.ipv4(field);
            if (ipv4.isPresent()) {
                address = ipv4;
                continue;
            }
            if (MAC_LIKE.matcher(field).matches()) {
                if (field.contains("*")) {
                    skipped.add(new SkippedLine(number, "'" + field + "' is a wildcard matching many machines,"
                            + " not one node"));
                    return;
                }
                Optional<HardwareAddress> mac = ImportSupport.mac(field.startsWith("01-") ? field.substring(3) : field);
                if (mac.isEmpty()) {
                    skipped.add(new SkippedLine(number, "'" + field + "' is not an Ethernet MAC"));
                    return;
                }
                macs.add(mac.get());
                continue;
            }
            if (NodeRecordParser.isHostName(field)) {
                name = Optional.of(field);
                continue;
            }
            skipped.add(new SkippedLine(number, "field '" + field + "' is not a MAC, address, host name, tag"
                    + " or lease time"));
            return;
        }
        if (macs.isEmpty()) {
            skipped.add(new SkippedLine(number, "no MAC (hosts known only by client id or name cannot be"
                    + " recognised at boot)"));
            return;
        }
        HardwareAddress mac = macs.get(0);
        ImportSupport.add(Node.builder(name.orElse(ImportSupport.derivedName(mac)), mac).address(address.orElse(null))
                .group(group.orElse(null)).build(), number, nodes, skipped);
        for (HardwareAddress extra : macs.subList(1, macs.size())) {
            skipped.add(new SkippedLine(number, "further MAC " + extra + " of '" + name.orElse(mac.toString())
                    + "': a node keeps one MAC; add it with nodes:add under its own name if it boots on its own"));
        }
    }
}

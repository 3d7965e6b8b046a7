package org.diskless.support.bootconf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;

/**
 * BSD {@code /etc/rbootd.conf} (rbootd(8)): an Ethernet address, then the boot files that machine
 * may load, in the order it is offered them, separated by white space and/or commas; {@code #}
 * starts a comment. A boot file is a name in rbootd's boot directory, never a path. A line may
 * name no file (rbootd then offers its default). Each address is listed once. The node importer
 * and the RMP server read the file here, so they accept the same files.
 */
public final class RbootdConf {

    /** One machine's line: its address and its boot files, best first (possibly none). */
    public record Entry(int line, HardwareAddress address, List<String> bootFiles) {
        public Entry {
            bootFiles = List.copyOf(bootFiles);
        }
    }

    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

    private RbootdConf() {
    }

    /**
     * The name a machine rbootd.conf lists goes by, as the file names no host: {@code node-} and its
     * address in hex ({@code node-0800090066ad}); the inventory and RMP call it the same.
     */
    public static String nameOf(HardwareAddress address) {
        return "node-" + HexFormat.of().formatHex(address.toByteArray());
    }

    public static Parsed<Entry> parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        List<LineProblem> problems = new ArrayList<>();
        Map<HardwareAddress, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String content = uncommented(lines.get(i)).trim();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = SEPARATORS.split(content);
            if (fields.length == 0) { // a line of commas: split drops every empty field
                problems.add(new LineProblem(number, "names no machine, only separators"));
                continue;
            }
            Optional<HardwareAddress> address = LinkAddresses.colonOctets(fields[0]);
            if (address.isEmpty()) {
                problems.add(new LineProblem(number, "'" + fields[0] + "' is not an Ethernet address (six hex octets"
                        + " separated by ':', e.g. 08:00:09:00:66:ad)"));
                continue;
            }
            Integer earlier = seen.putIfAbsent(address.get(), number);
            if (earlier != null) {
                problems.add(new LineProblem(number, fields[0] + " is already listed on line " + earlier));
                continue;
            }
            List<String> files = new ArrayList<>();
            for (int f = 1; f < fields.length; f++) {
                files.add(fields[f]);
            }
            Optional<String> path = files.stream().filter(file -> file.contains("/")).findFirst();
            if (path.isPresent()) {
                problems.add(new LineProblem(number, "boot file '" + path.get() + "' names a path; rbootd.conf names"
                        + " files of the boot directory"));
                continue;
            }
            entries.add(new Entry(number, address.get(), files));
        }
        return new Parsed<>(entries, problems);
    }

    private static String uncommented(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}

package org.diskless.support.bootconf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;

/**
 * HP-UX {@code /etc/clusterconf}, as clusterconf(4) of HP-UX 6.2 to 9.0 describes it (Series
 * 300/400 diskless clusters). Lines starting with {@code #} are comments. The first other line is
 * the cluster server's own link-level address, followed by {@code :} on HP-UX 9, or empty on
 * HP-UX 6; it names no cnode. Every further line is one cnode:
 *
 * <pre>machine ID:cnode ID:cnode name:cnode type:swap location:csp</pre>
 *
 * machine ID is the 12-hex-digit Ethernet address, cnode ID 1 to 255, cnode name a host name of
 * at most 8 characters, type {@code r} for the cluster (root) server and {@code c} for a client;
 * IDs, names and machine IDs are unique. The swap location and csp count concern the HP-UX kernel,
 * not the boot server, and are not kept. The node importer and the RMP server read the file here,
 * so they accept the same files.
 */
public final class Clusterconf {

    /** One cnode line. */
    public record Cnode(int line, HardwareAddress machineId, int cnodeId, String name, boolean rootServer) {
    }

    private static final Pattern SERVER_LINE = Pattern.compile("\\p{XDigit}{12}:?");
    /** A host-name label of at most 8 characters: letters, digits and inner dashes. */
    private static final Pattern CNODE_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,6}[A-Za-z0-9])?");

    private Clusterconf() {
    }

    public static Parsed<Cnode> parse(List<String> lines) {
        List<Cnode> cnodes = new ArrayList<>();
        List<LineProblem> problems = new ArrayList<>();
        Map<Integer, Integer> ids = new HashMap<>();
        Map<String, Integer> names = new HashMap<>();
        Map<HardwareAddress, Integer> machines = new HashMap<>();
        boolean serverLine = true;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).trim();
            if (line.startsWith("#")) {
                continue;
            }
            if (serverLine) {
                serverLine = false;
                if (line.isEmpty() || SERVER_LINE.matcher(line).matches()) {
                    continue;
                }
            }
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split(":", -1);
            if (fields.length < 4) {
                problems.add(new LineProblem(number, "expected machine ID:cnode ID:cnode name:type:swap:csp, found "
                        + fields.length + " field(s)"));
                continue;
            }
            Optional<HardwareAddress> machineId = LinkAddresses.twelveDigits(fields[0].trim());
            if (machineId.isEmpty()) {
                problems.add(new LineProblem(number, "machine ID '" + fields[0].trim()
                        + "' is not 12 hexadecimal digits (an Ethernet address such as 080009123456)"));
                continue;
            }
            int id = cnodeId(fields[1].trim());
            if (id < 1 || id > 255) {
                problems.add(new LineProblem(number, "cnode ID '" + fields[1].trim() + "' is not a number from 1 to 255"));
                continue;
            }
            String name = fields[2].trim();
            if (!CNODE_NAME.matcher(name).matches()) {
                problems.add(new LineProblem(number, "cnode name '" + name + "' is not a host name of 1 to 8"
                        + " characters (letters, digits, inner '-')"));
                continue;
            }
            String type = fields[3].trim();
            if (!type.equals("r") && !type.equals("c")) {
                problems.add(new LineProblem(number, "cnode type '" + type + "' is neither r (root server) nor c (client)"));
                continue;
            }
            Optional<LineProblem> duplicate = earlier(ids, id, number, "cnode ID " + id)
                    .or(() -> earlier(names, name.toLowerCase(Locale.ROOT), number, "cnode name " + name))
                    .or(() -> earlier(machines, machineId.get(), number, "machine ID " + fields[0].trim()));
            if (duplicate.isPresent()) {
                problems.add(duplicate.get());
                continue;
            }
            cnodes.add(new Cnode(number, machineId.get(), id, name, type.equals("r")));
        }
        return new Parsed<>(cnodes, problems);
    }

    private static int cnodeId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A problem when {@code key} was on an earlier line; otherwise takes it for this line. */
    private static <K> Optional<LineProblem> earlier(Map<K, Integer> seen, K key, int number, String what) {
        Integer line = seen.putIfAbsent(key, number);
        return line == null ? Optional.empty()
                : Optional.of(new LineProblem(number, what + " is already used on line " + line));
    }
}

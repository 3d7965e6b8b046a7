package org.diskless.rmp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;
import org.diskless.support.bootconf.Clusterconf;
import org.diskless.support.bootconf.Parsed;
import org.diskless.support.bootconf.RbootdConf;

/**
 * Reads the three configuration formats into one {@link CnodeTable}. Every line that cannot be
 * used becomes a {@link ConfigProblem}; a file with any problem is refused as a whole, so that a
 * half-edited file never half-applies.
 *
 * <ul>
 * <li>BSD {@code rbootd.conf}, read by {@link RbootdConf} (as the node importer reads it): a line
 * without files gets {@code defaultBootFiles}.</li>
 * <li>HP-UX {@code clusterconf}, read by {@link Clusterconf} (as the node importer reads it); its
 * client ({@code c}) lines are cnodes.</li>
 * <li>HP-UX {@code boottab}: {@code name:machine type:link address:listed files[:hidden files]},
 * white space ignored. {@code cluster} lines give every clusterconf cnode without a line of its own
 * its files, {@code default} lines answer any other machine; a line without a link address takes
 * it from clusterconf, or from the node inventory by name.</li>
 * </ul>
 */
final class CnodeTableBuilder {

    private static final Pattern WHITE_SPACE = Pattern.compile("[\\s\\p{Cntrl}]+");
    private static final int MAX_CNODE_NAME = 8;
    private static final String CLUSTER = "cluster";
    private static final String DEFAULT = "default";
    private static final String INSTALL = "install";

    /** The outcome of a load: a table unless some file had problems, and notes worth a log line. */
    record Result(Optional<CnodeTable> table, List<ConfigProblem> problems, List<String> warnings) {
    }

    private final RmpSettings settings;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private CnodeTableBuilder(RmpSettings settings) {
        this.settings = settings;
    }

    /** Reads the files the settings name and builds the table. */
    static Result load(RmpSettings settings) {
        Map<Path, List<String>> contents = new HashMap<>();
        List<ConfigProblem> unreadable = new ArrayList<>();
        for (Path file : settings.files()) {
            try {
                contents.put(file, Files.readAllLines(file, StandardCharsets.ISO_8859_1));
            } catch (NoSuchFileException e) {
                unreadable.add(new ConfigProblem(file, 0, "no such file"));
            } catch (IOException e) {
                unreadable.add(new ConfigProblem(file, 0, "cannot be read: " + e.getMessage()));
            }
        }
        if (!unreadable.isEmpty()) {
            return new Result(Optional.empty(), unreadable, List.of());
        }
        return build(settings, contents);
    }

    /** Builds the table from file contents already read (keyed by the paths the settings name). */
    static Result build(RmpSettings settings, Map<Path, List<String>> contents) {
        return new CnodeTableBuilder(settings).build(contents);
    }

    private Result build(Map<Path, List<String>> contents) {
        List<Clusterconf.Cnode> cluster = settings.clusterconf().map(f -> clusterconf(f, contents.get(f))).orElse(List.of());
        List<Cnode> boottab = settings.boottab().map(f -> boottab(f, contents.get(f))).orElse(List.of());
        List<Cnode> rbootd = settings.rbootdConf().map(f -> rbootdConf(f, contents.get(f))).orElse(List.of());

        Map<HardwareAddress, List<Cnode>> byMac = new LinkedHashMap<>();
        Map<String, List<Cnode>> byName = new LinkedHashMap<>();
        List<Cnode> defaults = new ArrayList<>();
        List<Cnode> clusterDefaults = new ArrayList<>();
        Map<String, List<Cnode>> specific = new LinkedHashMap<>();
        for (Cnode line : boottab) {
            switch (line.name()) {
                case DEFAULT -> defaults.add(line);
                case CLUSTER -> clusterDefaults.add(line);
                default -> specific.computeIfAbsent(line.name(), n -> new ArrayList<>()).add(line);
            }
        }
        Map<HardwareAddress, String> macOrigin = new HashMap<>();
        for (Clusterconf.Cnode cnode : cluster) {
            Path file = settings.clusterconf().orElseThrow();
            List<Cnode> own = specific.remove(cnode.name());
            List<Cnode> entries = new ArrayList<>();
            if (own != null) {
                for (Cnode line : own) {
                    if (line.mac().isPresent() && !line.mac().get().equals(cnode.machineId())) {
                        problems.add(new ConfigProblem(file, cnode.line(), "cnode " + cnode.name() + " has link address "
                                + hex(cnode.machineId()) + " here but " + hex(line.mac().get()) + " in " + line.origin()));
                    }
                    entries.add(line.withMac(cnode.machineId()));
                }
            } else if (!clusterDefaults.isEmpty()) {
                for (Cnode line : clusterDefaults) {
                    entries.add(line.withName(cnode.name()).withMac(cnode.machineId()));
                }
            } else {
                entries.add(new Cnode(cnode.name(), Optional.of(cnode.machineId()), Optional.empty(),
                        settings.defaultBootFiles(), List.of(), file + ":" + cnode.line()));
            }
            byMac.put(cnode.machineId(), entries);
            macOrigin.put(cnode.machineId(), file + ":" + cnode.line());
        }
        if (!clusterDefaults.isEmpty() && settings.clusterconf().isEmpty()) {
            warnings.add("boottab 'cluster' lines apply to clusterconf cnodes, and no clusterconf is configured");
        }
        for (List<Cnode> lines : specific.values()) {
            for (Cnode line : lines) {
                if (line.mac().isPresent()) {
                    addByMac(byMac, macOrigin, line, settings.boottab().orElseThrow());
                } else {
                    byName.computeIfAbsent(line.name(), n -> new ArrayList<>()).add(line);
                    warnings.add(line.origin() + ": " + line.name() + " has no link address here or in clusterconf;"
                            + " it is served once a node of that name is in the inventory");
                }
            }
        }
        for (Cnode line : rbootd) {
            addByMac(byMac, macOrigin, line, settings.rbootdConf().orElseThrow());
        }
        if (!problems.isEmpty()) {
            return new Result(Optional.empty(), List.copyOf(problems), List.copyOf(warnings));
        }
        return new Result(Optional.of(new CnodeTable(byMac, byName, defaults, settings.defaultBootFiles(),
                settings.answerAny(), settings.inventory())), List.of(), List.copyOf(warnings));
    }

    private void addByMac(Map<HardwareAddress, List<Cnode>> byMac, Map<HardwareAddress, String> macOrigin, Cnode line,
            Path file) {
        HardwareAddress mac = line.mac().orElseThrow();
        String earlier = macOrigin.get(mac);
        if (earlier != null && !sameOrigin(earlier, line.origin())) {
            problems.add(new ConfigProblem(file, lineNumber(line.origin()), hex(mac) + " is already configured by "
                    + earlier + "; a machine is configured in one place only"));
            return;
        }
        byMac.computeIfAbsent(mac, m -> new ArrayList<>()).add(line);
        macOrigin.putIfAbsent(mac, line.origin());
    }

    /** Two boottab lines for one node (one per machine type) are fine; anything else is a clash. */
    private static boolean sameOrigin(String earlier, String later) {
        return earlier.substring(0, earlier.lastIndexOf(':')).equals(later.substring(0, later.lastIndexOf(':')))
                && later.contains("boottab");
    }

    /** The client cnodes of clusterconf (the root server boots from its own disk, never from us). */
    private List<Clusterconf.Cnode> clusterconf(Path file, List<String> lines) {
        Parsed<Clusterconf.Cnode> parsed = Clusterconf.parse(lines);
        parsed.problems().forEach(p -> problems.add(new ConfigProblem(file, p.line(), p.reason())));
        return parsed.entries().stream().filter(cnode -> !cnode.rootServer()).toList();
    }

    private List<Cnode> boottab(Path file, List<String> lines) {
        List<Cnode> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = WHITE_SPACE.matcher(ConfigLines.uncommented(lines.get(i))).replaceAll("");
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split(":", -1);
            if (fields.length != 4 && fields.length != 5) {
                problems.add(new ConfigProblem(file, number, "expected name:machine type:link address:boot files"
                        + "[:hidden boot files], found " + fields.length + " field(s)"));
                continue;
            }
            String name = fields[0];
            if (name.length() > MAX_CNODE_NAME && !name.equals(DEFAULT) && !name.equals(CLUSTER)
                    || !ConfigLines.isHostName(name)) {
                problems.add(new ConfigProblem(file, number, "name '" + name + "' is neither 'cluster', 'default'"
                        + " nor a cnode name of 1 to 8 characters"));
                continue;
            }
            if (name.equals(INSTALL)) {
                warnings.add(file + ":" + number + ": 'install' lines (HP-UX installation servers) are not served;"
                        + " line skipped");
                continue;
            }
            String machineType = fields[1];
            if (machineType.length() > 20) {
                problems.add(new ConfigProblem(file, number, "machine type '" + machineType
                        + "' is longer than the 20 characters a boot ROM sends (e.g. HPS300)"));
                continue;
            }
            Optional<HardwareAddress> mac = Optional.empty();
            if (!fields[2].isEmpty()) {
                mac = ConfigLines.hpAddress(fields[2]);
                if (mac.isEmpty()) {
                    problems.add(new ConfigProblem(file, number, "link address '" + fields[2]
                            + "' is not an Ethernet address (12 hex digits, e.g. 080009123456)"));
                    continue;
                }
                if (name.equals(DEFAULT) || name.equals(CLUSTER)) {
                    problems.add(new ConfigProblem(file, number, "a '" + name + "' line applies to many machines"
                            + " and takes no link address"));
                    continue;
                }
            }
            List<String> offered = bootFiles(file, number, fields[3]);
            List<String> hidden = fields.length == 5 ? bootFiles(file, number, fields[4]) : List.of();
            if (offered == null || hidden == null) {
                continue;
            }
            String key = name + ":" + machineType.toUpperCase(Locale.ROOT);
            Integer earlier = seen.putIfAbsent(key, number);
            if (earlier != null) {
                problems.add(new ConfigProblem(file, number, "'" + name + "'"
                        + (machineType.isEmpty() ? "" : " for machine type " + machineType)
                        + " is already configured on line " + earlier));
                continue;
            }
            entries.add(new Cnode(name, mac, machineType.isEmpty() ? Optional.empty() : Optional.of(machineType),
                    offered, hidden, file + ":" + number));
        }
        return entries;
    }

    /** A comma list of boot files; null (after adding a problem) if one is unusable. */
    private List<String> bootFiles(Path file, int number, String field) {
        List<String> files = new ArrayList<>();
        for (String name : field.split(",")) {
            if (name.isEmpty()) {
                continue;
            }
            if (!name.startsWith("/") && name.contains("/")) {
                problems.add(new ConfigProblem(file, number, "boot file '" + name + "' is a relative path with"
                        + " directories; give a plain name (from the boot directory) or an absolute path"));
                return null;
            }
            if (Arrays.asList(name.split("/")).contains("..") || Cnode.baseName(name).isEmpty()) {
                problems.add(new ConfigProblem(file, number, "boot file '" + name + "' does not name a file"));
                return null;
            }
            files.add(name);
        }
        return files;
    }

    private List<Cnode> rbootdConf(Path file, List<String> lines) {
        Parsed<RbootdConf.Entry> parsed = RbootdConf.parse(lines);
        parsed.problems().forEach(p -> problems.add(new ConfigProblem(file, p.line(), p.reason())));
        List<Cnode> entries = new ArrayList<>();
        for (RbootdConf.Entry entry : parsed.entries()) {
            List<String> files = entry.bootFiles();
            if (files.isEmpty()) {
                files = settings.defaultBootFiles();
                if (files.isEmpty()) {
                    warnings.add(file + ":" + entry.line() + ": " + entry.address() + " names no boot file and"
                            + " defaultBootFiles is empty: it is answered but has nothing to load");
                }
            }
            entries.add(new Cnode(RbootdConf.nameOf(entry.address()), Optional.of(entry.address()), Optional.empty(),
                    files, List.of(), file + ":" + entry.line()));
        }
        return entries;
    }

    private static int lineNumber(String origin) {
        try {
            return Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String hex(HardwareAddress mac) {
        return mac.toString();
    }
}

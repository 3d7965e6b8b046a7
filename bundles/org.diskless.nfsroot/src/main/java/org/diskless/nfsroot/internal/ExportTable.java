package org.diskless.nfsroot.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.diskless.api.network.BootNetwork;
import org.diskless.nfsroot.internal.ClientSpec.Match;
import org.diskless.support.log.Printable;

/**
 * The host's exports as its NFS server takes them: {@code /etc/exports}, then the {@code *.exports}
 * files of {@code /etc/exports.d} in name order (exports(5), "Extra Export Tables"). Read, never
 * written. Paths are compared as the server does, symbolic links resolved where they exist.
 *
 * <p>Which entry decides for a node follows mountd and exports(5): a path is mounted through the
 * nearest directory at or above it that is exported to the client; at one path, a client matching
 * several entries takes the first kind in the order single host, network, wildcard, netgroup,
 * anyone ({@link ClientSpec.Kind}), and within a kind the first written.
 */
final class ExportTable {

    static final int MAX_FILE_BYTES = 1 << 20;
    static final int MAX_EXTRA_FILES = 100;

    private final Map<String, List<ExportEntry>> byPath = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private ExportTable() {
    }

    /** The exports of these files' texts, in order ({@code name}, {@code text} pairs); for tests and for {@link #read}. */
    static ExportTable of(Map<String, String> files) {
        ExportTable table = new ExportTable();
        files.forEach(table::add);
        return table;
    }

    /** Reads the exports file and the extra tables; what cannot be read is a note, not an error. */
    static ExportTable read(Path exportsFile, Optional<Path> exportsDirectory) {
        ExportTable table = new ExportTable();
        table.readFile(exportsFile, true);
        exportsDirectory.ifPresent(table::readDirectory);
        return table;
    }

    private void readDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            return; // no extra tables: the usual case
        }
        List<Path> tables = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory, "*.exports")) {
            for (Path file : listing) {
                if (!file.getFileName().toString().startsWith(".")) {
                    tables.add(file);
                }
            }
        } catch (IOException e) {
            notes.add("cannot list " + directory + ": " + e.getMessage());
            return;
        }
        tables.sort(Comparator.comparing(Path::toString));
        if (tables.size() > MAX_EXTRA_FILES) {
            notes.add(directory + " holds " + tables.size() + " export tables: only the first " + MAX_EXTRA_FILES
                    + " are read here");
            tables = tables.subList(0, MAX_EXTRA_FILES);
        }
        tables.forEach(file -> readFile(file, false));
    }

    private void readFile(Path file, boolean required) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            if (required) {
                notes.add("there is no " + file + ": nothing is exported from it");
            }
            return;
        } catch (IOException e) {
            notes.add("cannot read " + file + " (" + e.getMessage() + "): its exports are not checked");
            return;
        }
        if (bytes.length > MAX_FILE_BYTES) {
            notes.add(file + " is over " + (MAX_FILE_BYTES >> 20) + " MiB: only its first MiB is read here");
            bytes = java.util.Arrays.copyOf(bytes, MAX_FILE_BYTES);
        }
        add(file.toString(), new String(bytes, UTF_8));
    }

    private void add(String name, String text) {
        ExportsFile.Parsed parsed = ExportsFile.parse(name, text);
        notes.addAll(parsed.notes());
        for (ExportEntry entry : parsed.entries()) {
            List<ExportEntry> atPath = byPath.computeIfAbsent(canonical(entry.path()), p -> new ArrayList<>());
            if (atPath.stream().noneMatch(e -> e.client().text().equals(entry.client().text()))) {
                atPath.add(entry);
            }
        }
    }

    /**
     * Adds what was exported at run time ({@code exportfs -o}) after the files, as the server's
     * table holds it: an entry the files already give the same client keeps the files' options.
     */
    void addExported(String source, String path, String client, String options) {
        try {
            ExportEntry entry = new ExportEntry(path, ClientSpec.of(client),
                    ExportOptions.parse(List.of(options.split(","))), source);
            List<ExportEntry> atPath = byPath.computeIfAbsent(canonical(path), p -> new ArrayList<>());
            if (atPath.stream().noneMatch(e -> e.client().text().equals(client))) {
                atPath.add(entry);
            }
        } catch (ExportOptions.UnknownOption e) {
            throw new IllegalArgumentException("options we export are known to exportfs: " + options, e);
        }
    }

    /** Whether the files export {@code path} to exactly this client text already. */
    boolean names(String path, String client) {
        return byPath.getOrDefault(canonical(path), List.of()).stream().anyMatch(e -> e.client().text().equals(client));
    }

    /** What a reader of these files should know: lines exportfs refuses or ignores, files it cannot read. */
    List<String> notes() {
        return List.copyOf(notes);
    }

    /** Every entry, in the order read. */
    List<ExportEntry> entries() {
        return byPath.values().stream().flatMap(List::stream).toList();
    }

    /** How a node at {@code address} mounts {@code path}. */
    ExportVerdict lookup(String path, Inet4Address address) {
        return lookup(path, client -> client.matches(address));
    }

    /** How a node with any address of {@code subnet} mounts {@code path}: exported to it only when to every one. */
    ExportVerdict lookup(String path, BootNetwork subnet) {
        return lookup(path, client -> client.covers(subnet));
    }

    /** Every entry that lets its clients reach {@code path}: at it, or at a directory above it. */
    List<ExportEntry> covering(String path) {
        List<ExportEntry> all = new ArrayList<>();
        for (Path level = Path.of(canonical(path)); level != null; level = level.getParent()) {
            all.addAll(byPath.getOrDefault(level.toString(), List.of()));
        }
        return all;
    }

    private ExportVerdict lookup(String path, Function<ClientSpec, Match> names) {
        List<ExportEntry> others = new ArrayList<>();
        for (Path level = Path.of(canonical(path)); level != null; level = level.getParent()) {
            List<ExportEntry> atLevel = byPath.getOrDefault(level.toString(), List.of());
            List<ExportEntry> undecided = new ArrayList<>();
            for (ClientSpec.Kind kind : ClientSpec.Kind.values()) {
                for (ExportEntry entry : atLevel) {
                    if (entry.client().kind() != kind) {
                        continue;
                    }
                    Match match = names.apply(entry.client());
                    if (match == Match.YES) {
                        return undecided.isEmpty() ? new ExportVerdict.Exported(entry)
                                : new ExportVerdict.Undecided(undecided, Optional.of(entry));
                    }
                    if (match == Match.UNKNOWN) {
                        undecided.add(entry);
                    }
                }
            }
            if (!undecided.isEmpty()) {
                return new ExportVerdict.Undecided(undecided, Optional.empty());
            }
            others.addAll(atLevel);
        }
        return new ExportVerdict.NotExported(others);
    }

    /** The path as the server sees it: normalized, and with symbolic links resolved where it exists. */
    static String canonical(String path) {
        try {
            Path normalized = Path.of(path).normalize();
            try {
                return normalized.toRealPath().toString();
            } catch (IOException notThere) {
                return normalized.toString();
            }
        } catch (java.nio.file.InvalidPathException e) {
            return path;
        }
    }

    static String shown(String text) {
        return Printable.of(text, 120);
    }
}

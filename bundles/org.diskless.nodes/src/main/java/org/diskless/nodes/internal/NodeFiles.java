package org.diskless.nodes.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The node files in {@code etc/}: one {@code org.diskless.node-<name>.cfg} per node, the inventory
 * an operator finds, edits and backs up, and what survives a wipe of {@code data/}.
 *
 * <p>Karaf's FileInstall turns each such file into the configuration {@code org.diskless.node~<name>}
 * and, once a configuration names its file in {@value #FILEINSTALL_FILENAME}, keeps the two in step
 * both ways: an edit of the file updates the configuration, an update through Config Admin is
 * written back to the file, and deleting the configuration deletes the file. It never creates a file
 * for a configuration made through Config Admin, though, which is how nodes used to live only in
 * {@code data/cache}. So the commands write the file first and then create the configuration naming
 * it: the node serves at once, and FileInstall finds file and configuration already agreeing.
 *
 * <p>The file is written typed (every value quoted, {@code I"7"} for a number, {@code [ … ]} for a
 * list), as FileInstall reads it back to exactly the values the configuration holds, so neither side
 * sees a change to apply. FileInstall's own writer drops backslashes and expands {@code ${…}}, so
 * {@link NodeRecordParser} keeps text to what survives its round trip.
 */
public final class NodeFiles {

    /** Where FileInstall records the file a configuration came from, as a {@code file:} URI. */
    public static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private static final String PREFIX = NodeConfiguration.FACTORY_PID + "-";
    private static final String SUFFIX = ".cfg";
    /** Keys in the order an operator reads a node; any other key follows in name order. */
    private static final List<String> KEY_ORDER = List.of(NodeConfiguration.NAME, NodeConfiguration.MAC,
            NodeConfiguration.ADDRESS, NodeConfiguration.UUID, NodeConfiguration.ARCHITECTURE,
            NodeConfiguration.GROUP, NodeConfiguration.HARDWARE_CONTEXTS, NodeConfiguration.BOOT_FILES);

    /** Enough syncs in flight for the file system to commit many at once, few enough to stay polite. */
    private static final int SYNC_THREADS = 16;

    private final Path directory;

    /** @param directory Karaf's {@code etc/}, which FileInstall watches */
    public NodeFiles(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The file of the node named {@code name}. */
    public Path fileOf(String name) {
        return directory.resolve(PREFIX + name + SUFFIX);
    }

    /** The value FileInstall gives {@value #FILEINSTALL_FILENAME} for {@code file}. */
    public static String fileInstallKey(Path file) {
        return file.toAbsolutePath().toFile().toURI().toString();
    }

    /**
     * Writes the node files for {@code nodes} (properties by node name, as
     * {@link NodeRecordParser#toProperties} gives them), each whole or not at all: all to temporary
     * names FileInstall ignores, synced together (the file system commits concurrent syncs in one go,
     * so an import of thousands of nodes does not pay one disk commit per node), then renamed into
     * place and the directory synced.
     *
     * @return the files, in the order of {@code nodes}
     * @throws FileAlreadyExistsException if a node already has a file; then nothing is written
     */
    public List<Path> create(Map<String, ? extends Map<String, ?>> nodes) throws IOException {
        for (String name : nodes.keySet()) {
            if (Files.exists(fileOf(name))) {
                throw new FileAlreadyExistsException(fileOf(name).toString(), null,
                        "a node file of that name is already in " + directory);
            }
        }
        Map<Path, Path> temporaries = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ? extends Map<String, ?>> node : nodes.entrySet()) {
                Path file = fileOf(node.getKey());
                Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
                temporaries.put(temporary, file);
                Files.write(temporary, format(node.getKey(), node.getValue()).getBytes(StandardCharsets.US_ASCII));
            }
            syncAll(List.copyOf(temporaries.keySet()));
            for (Map.Entry<Path, Path> rename : temporaries.entrySet()) {
                try {
                    Files.move(rename.getKey(), rename.getValue(), StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(rename.getKey(), rename.getValue());
                }
            }
            try (FileChannel etc = FileChannel.open(directory, StandardOpenOption.READ)) {
                etc.force(true);
            }
        } finally {
            for (Path temporary : temporaries.keySet()) {
                Files.deleteIfExists(temporary);
            }
        }
        return List.copyOf(temporaries.values());
    }

    /** Syncs {@code files} from a few threads at once, so that their commits to disk are shared. */
    private static void syncAll(List<Path> files) throws IOException {
        int threads = Math.min(SYNC_THREADS, files.size());
        if (threads == 0) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "diskless-node-files-sync");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Void>> syncs = new ArrayList<>();
            for (Path file : files) {
                syncs.add(pool.submit(() -> {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                    return null;
                }));
            }
            for (Future<Void> sync : syncs) {
                sync.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while syncing node files");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Deletes the file a node configuration came from, if it names one in this directory; a file
     * elsewhere is left alone, as it is not ours to delete.
     *
     * @return the file deleted
     */
    public Optional<Path> delete(Map<String, ?> properties) throws IOException {
        Optional<Path> file = fileNamedBy(properties);
        if (file.isPresent() && Files.deleteIfExists(file.get())) {
            return file;
        }
        return Optional.empty();
    }

    private Optional<Path> fileNamedBy(Map<String, ?> properties) {
        Object key = properties.get(FILEINSTALL_FILENAME);
        if (key == null) {
            return Optional.empty();
        }
        try {
            Path file = Path.of(URI.create(key.toString())).toAbsolutePath().normalize();
            String fileName = file.getFileName().toString();
            return directory.equals(file.getParent()) && fileName.startsWith(PREFIX) && fileName.endsWith(SUFFIX)
                    ? Optional.of(file) : Optional.empty();
        } catch (IllegalArgumentException | FileSystemNotFoundException notAFile) {
            return Optional.empty();
        }
    }

    /** The typed .cfg text for a node; values are text, whole numbers or lists of text. */
    static String format(String name, Map<String, ?> properties) {
        StringBuilder text = new StringBuilder()
                .append("# Node ").append(name).append(" of the Diskless inventory (nodes:list). Changes apply at once;\n")
                .append("# deleting this file removes the node. Keep every value quoted: I\"7\" for a number,\n")
                .append("# [ \"a\", \"b\" ] for a list.\n");
        KEY_ORDER.stream().filter(properties::containsKey).forEach(key -> line(text, key, properties.get(key)));
        properties.keySet().stream().filter(key -> !KEY_ORDER.contains(key)).sorted()
                .forEach(key -> line(text, key, properties.get(key)));
        return text.toString();
    }

    private static void line(StringBuilder text, String key, Object value) {
        text.append(key).append(" = ");
        if (value instanceof Integer number) {
            text.append("I\"").append(number).append('"');
        } else if (value instanceof String[] list) {
            text.append("[ ");
            for (int i = 0; i < list.length; i++) {
                text.append(i == 0 ? "" : ", ");
                quoted(text, key, list[i]);
            }
            text.append(list.length == 0 ? "]" : " ]");
        } else if (value instanceof String string) {
            quoted(text, key, string);
        } else {
            throw new IllegalArgumentException(key + ": a node file holds text, whole numbers and lists of text,"
                    + " not " + value.getClass().getName());
        }
        text.append('\n');
    }

    private static void quoted(StringBuilder text, String key, String value) {
        if (!NodeRecordParser.isStorable(value)) {
            throw new IllegalArgumentException(key + ": '" + value + "' cannot be kept in a .cfg file");
        }
        text.append('"').append(value.replace("\"", "\\\"")).append('"');
    }
}

package org.diskless.nodes.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.nodes.NodeConfiguration;

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
     * Writes the node file for {@code properties} (a node as {@link NodeRecordParser#toProperties}
     * gives it), whole or not at all: a temporary file FileInstall ignores, synced, then renamed.
     *
     * @return the file
     * @throws FileAlreadyExistsException if the node already has a file
     */
    public Path create(String name, Map<String, ?> properties) throws IOException {
        Path file = fileOf(name);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "a node file of that name is already in " + directory);
        }
        Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(format(name, properties).getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return file;
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

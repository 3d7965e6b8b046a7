package org.diskless.nodes;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.fileinstall.shaded.util.properties.TypedProperties;
import org.diskless.nodes.internal.NodeConfiguration;
import org.diskless.nodes.internal.NodeFiles;

/**
 * What Karaf's FileInstall does with node files, done with FileInstall's own reader and writer
 * (the classes it embeds): read a file as it does at start, write a configuration back to its file
 * as it does on every update through Config Admin, and start from etc/ alone after data/ is wiped.
 */
public final class FileInstallSimulation {

    private FileInstallSimulation() {
    }

    /** The properties FileInstall gives the configuration of {@code file}. */
    public static Map<String, Object> read(Path file) throws IOException {
        TypedProperties properties = new TypedProperties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        }
        return new LinkedHashMap<>(properties);
    }

    /** FileInstall's write-back of a configuration that names {@code file}: merge, drop removed keys, save. */
    public static void writeBack(Path file, Map<String, ?> configuration) throws IOException {
        TypedProperties properties = new TypedProperties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        }
        List<String> removed = new ArrayList<>();
        for (String key : properties.keySet()) {
            if (!configuration.containsKey(key)) {
                removed.add(key);
            }
        }
        configuration.forEach((key, value) -> {
            if (!key.startsWith("service.") && !key.equals(NodeFiles.FILEINSTALL_FILENAME)) {
                properties.put(key, value);
            }
        });
        removed.forEach(properties::remove);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            properties.save(writer);
        }
    }

    /** A Config Admin holding only what FileInstall makes of the node files in {@code etc}, as after a wipe of data/. */
    public static FakeConfigurationAdmin startFrom(Path etc) throws IOException {
        FakeConfigurationAdmin configurationAdmin = new FakeConfigurationAdmin();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(etc, NodeConfiguration.FACTORY_PID + "-*.cfg")) {
            for (Path file : files) {
                String base = file.getFileName().toString().replaceFirst("\\.cfg$", "");
                Map<String, Object> properties = read(file);
                properties.put(NodeFiles.FILEINSTALL_FILENAME, NodeFiles.fileInstallKey(file));
                configurationAdmin.putNamed(NodeConfiguration.FACTORY_PID, base.substring(base.indexOf('-') + 1),
                        properties);
            }
        }
        return configurationAdmin;
    }
}

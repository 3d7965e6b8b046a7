package org.diskless.nodes.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.nodes.Node;
import org.diskless.support.config.InvalidSettingException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The node configurations as Config Admin holds them. The commands check duplicates here rather
 * than in the directory: a configuration written a moment ago, or one the directory refused, still
 * takes its name.
 */
public final class NodeConfigurations {

    static final String FILTER = "(service.factoryPid=" + NodeConfiguration.FACTORY_PID + ")";

    /** One stored configuration; {@code node} is empty when it does not parse. */
    public record Stored(Configuration configuration, Map<String, Object> properties, Optional<String> name,
            Optional<Node> node) {

        /** Where an operator finds it: the file FileInstall read it from, else its configuration. */
        public String origin() {
            Object file = properties.get(NodeFiles.FILEINSTALL_FILENAME);
            if (file != null) {
                try {
                    return Path.of(URI.create(file.toString())).toString();
                } catch (IllegalArgumentException | FileSystemNotFoundException notAFile) {
                    // named some other way: the configuration says it
                }
            }
            return "configuration " + configuration.getPid();
        }
    }

    private final ConfigurationAdmin configurationAdmin;
    private final NodeFiles files;

    public NodeConfigurations(ConfigurationAdmin configurationAdmin, Path etc) {
        this.configurationAdmin = configurationAdmin;
        this.files = new NodeFiles(etc);
    }

    /** Karaf's etc/, where the node files go; a bare {@code etc} outside Karaf. */
    public static Path karafEtc() {
        return Path.of(System.getProperty("karaf.etc", "etc"));
    }

    public List<Stored> all() throws IOException {
        Configuration[] configurations;
        try {
            configurations = configurationAdmin.listConfigurations(FILTER);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("filter " + FILTER + " is well-formed", e);
        }
        List<Stored> stored = new ArrayList<>();
        for (Configuration configuration : configurations == null ? new Configuration[0] : configurations) {
            var properties = configuration.getProperties();
            if (properties == null) {
                continue;
            }
            Map<String, Object> map = new HashMap<>();
            for (String key : Collections.list(properties.keys())) {
                map.put(key, properties.get(key));
            }
            Optional<String> name = Optional.ofNullable(map.get(NodeConfiguration.NAME)).map(n -> n.toString().trim());
            Optional<Node> node;
            try {
                node = Optional.of(NodeRecordParser.parse(map));
            } catch (InvalidSettingException e) {
                node = Optional.empty();
            }
            stored.add(new Stored(configuration, map, name, node));
        }
        return stored;
    }

    public static Optional<Stored> byName(List<Stored> stored, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return stored.stream().filter(s -> s.name().map(n -> n.toLowerCase(Locale.ROOT).equals(wanted)).orElse(false))
                .findFirst();
    }

    /** Why {@code node} cannot be written to etc/, if a file of its name is already there. */
    public Optional<TakenValues.Clash> fileClash(Node node) {
        Path file = files.fileOf(node.name());
        return Files.exists(file) ? Optional.of(new TakenValues.Clash(NodeConfiguration.NAME, file + " already exists (a node file FileInstall has not read,"
                + " or could not); remove it or choose another name")) : Optional.empty();
    }

    /**
     * Writes {@code nodes}, created at {@code created}, as their files in etc/ and then as the
     * factory configurations {@code org.diskless.node~<name>} naming those files (see
     * {@link NodeFiles} for why both).
     *
     * @return the files, in the order of {@code nodes}
     * @throws FileAlreadyExistsException if etc/ already holds a file for one of the names; then
     *                                    nothing is written
     */
    public List<Path> create(List<Node> nodes, Instant created) throws IOException {
        Map<String, Hashtable<String, Object>> properties = new LinkedHashMap<>();
        for (Node node : nodes) {
            Hashtable<String, Object> values = NodeRecordParser.toProperties(node);
            values.put(NodeConfiguration.CREATED, created.truncatedTo(ChronoUnit.MILLIS).toString());
            properties.put(node.name(), values);
        }
        List<Path> files = this.files.create(properties);
        int i = 0;
        for (Map.Entry<String, Hashtable<String, Object>> node : properties.entrySet()) {
            node.getValue().put(NodeFiles.FILEINSTALL_FILENAME, NodeFiles.fileInstallKey(files.get(i++)));
            // A failure here leaves the file, which FileInstall turns into the configuration anyway.
            configurationAdmin.getFactoryConfiguration(NodeConfiguration.FACTORY_PID, node.getKey(), "?")
                    .update(node.getValue());
        }
        return files;
    }

    /**
     * Deletes a node: its file first, so that FileInstall cannot bring the node back from it, then
     * the configuration (which FileInstall may just have deleted, having seen the file go).
     *
     * @return the file deleted, if the configuration named one in etc/
     */
    public Optional<Path> delete(Stored stored) throws IOException {
        Optional<Path> file = files.delete(stored.properties());
        try {
            stored.configuration().delete();
        } catch (IllegalStateException alreadyDeleted) {
            // FileInstall saw the file go first
        }
        return file;
    }
}

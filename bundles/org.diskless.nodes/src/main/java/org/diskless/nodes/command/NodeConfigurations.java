package org.diskless.nodes.command;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.nodes.Node;
import org.diskless.nodes.NodeConfiguration;
import org.diskless.nodes.internal.InvalidNodeException;
import org.diskless.nodes.internal.NodeFiles;
import org.diskless.nodes.internal.NodeRecordParser;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The node configurations as Config Admin holds them. The commands check duplicates here rather
 * than in the directory: a configuration written a moment ago, or one the directory refused, still
 * takes its name.
 */
final class NodeConfigurations {

    static final String FILTER = "(service.factoryPid=" + NodeConfiguration.FACTORY_PID + ")";

    /** One stored configuration; {@code node} is empty when it does not parse. */
    record Stored(Configuration configuration, Map<String, Object> properties, Optional<String> name,
            Optional<Node> node) {
    }

    private final ConfigurationAdmin configurationAdmin;
    private final NodeFiles files;

    NodeConfigurations(ConfigurationAdmin configurationAdmin, Path etc) {
        this.configurationAdmin = configurationAdmin;
        this.files = new NodeFiles(etc);
    }

    /** Karaf's etc/, where the node files go; a bare {@code etc} outside Karaf. */
    static Path karafEtc() {
        return Path.of(System.getProperty("karaf.etc", "etc"));
    }

    List<Stored> all() throws IOException {
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
            } catch (InvalidNodeException e) {
                node = Optional.empty();
            }
            stored.add(new Stored(configuration, map, name, node));
        }
        return stored;
    }

    /** Why {@code node} cannot be added beside {@code existing}, if it cannot. */
    static Optional<String> clash(Node node, Collection<Node> existing) {
        for (Node other : existing) {
            if (other.name().equalsIgnoreCase(node.name())) {
                return Optional.of("a node named '" + other.name() + "' already exists");
            }
            if (other.hardwareAddress().equals(node.hardwareAddress())) {
                return Optional.of("MAC " + node.hardwareAddress() + " already belongs to node '" + other.name() + "'");
            }
            if (node.address().isPresent() && node.address().equals(other.address())) {
                return Optional.of("address " + node.address().get().getHostAddress() + " already belongs to node '"
                        + other.name() + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code node} cannot be added to {@code stored} plus {@code added}; a stored configuration
     * that does not parse still holds its name.
     */
    static Optional<String> clash(Node node, List<Stored> stored, Collection<Node> added) {
        Optional<String> taken = byName(stored, node.name()).map(s -> "a node named '" + s.name().get()
                + "' already exists (configuration " + s.configuration().getPid() + ")");
        if (taken.isPresent()) {
            return taken;
        }
        List<Node> all = new ArrayList<>(nodes(stored));
        all.addAll(added);
        return clash(node, all);
    }

    /** The nodes of {@code stored} that parse. */
    static List<Node> nodes(List<Stored> stored) {
        return stored.stream().flatMap(s -> s.node().stream()).toList();
    }

    static Optional<Stored> byName(List<Stored> stored, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return stored.stream().filter(s -> s.name().map(n -> n.toLowerCase(Locale.ROOT).equals(wanted)).orElse(false))
                .findFirst();
    }

    /** Why {@code node} cannot be written to etc/, if a file of its name is already there. */
    Optional<String> fileClash(Node node) {
        Path file = files.fileOf(node.name());
        return Files.exists(file) ? Optional.of(file + " already exists (a node file FileInstall has not read,"
                + " or could not); remove it or choose another name") : Optional.empty();
    }

    /**
     * Writes {@code node}, created at {@code created}, as its file in etc/ and then as the factory configuration
     * {@code org.diskless.node~<name>} naming that file (see {@link NodeFiles} for why both).
     *
     * @return the file
     * @throws FileAlreadyExistsException if etc/ already holds a file for that name
     */
    Path create(Node node, Instant created) throws IOException {
        Hashtable<String, Object> properties = NodeRecordParser.toProperties(node);
        properties.put(NodeConfiguration.CREATED, created.truncatedTo(ChronoUnit.MILLIS).toString());
        Path file = files.create(node.name(), properties);
        properties.put(NodeFiles.FILEINSTALL_FILENAME, NodeFiles.fileInstallKey(file));
        try {
            configurationAdmin.getFactoryConfiguration(NodeConfiguration.FACTORY_PID, node.name(), "?")
                    .update(properties);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /**
     * Deletes a node: its file first, so that FileInstall cannot bring the node back from it, then
     * the configuration (which FileInstall may just have deleted, having seen the file go).
     *
     * @return the file deleted, if the configuration named one in etc/
     */
    Optional<Path> delete(Stored stored) throws IOException {
        Optional<Path> file = files.delete(stored.properties());
        try {
            stored.configuration().delete();
        } catch (IllegalStateException alreadyDeleted) {
            // FileInstall saw the file go first
        }
        return file;
    }
}

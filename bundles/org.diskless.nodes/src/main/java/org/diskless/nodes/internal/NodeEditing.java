package org.diskless.nodes.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeEditException;
import org.diskless.api.nodes.NodeEditException.Reason;
import org.diskless.support.config.InvalidSettingException;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Adds, changes and removes nodes with the checks every way in shares: the shell commands and the
 * {@code NodeEditor} service. Values are checked by {@link NodeRecordParser}; a name, MAC or address
 * another stored configuration holds is refused ({@link TakenValues}), as is a name whose file is in
 * etc/ already.
 */
public final class NodeEditing {

    /** A node written: the node and its file. */
    public record Written(Node node, Path file) {
    }

    /** A node removed: its name as stored, its configuration's PID, and the file deleted if there was one. */
    public record Removed(String name, String pid, Optional<Path> file) {
    }

    private final NodeConfigurations configurations;
    private final Clock clock;

    public NodeEditing(ConfigurationAdmin configurationAdmin, Path etc, Clock clock) {
        this.configurations = new NodeConfigurations(configurationAdmin, etc);
        this.clock = clock;
    }

    /** Adds the node {@code settings} describe: its file in etc/, then its configuration. */
    public Written add(Map<String, ?> settings) throws NodeEditException, IOException {
        Node node = parse(settings);
        List<NodeConfigurations.Stored> stored = configurations.all();
        Optional<TakenValues.Clash> clash = TakenValues.of(stored).clash(node).or(() -> configurations.fileClash(node));
        if (clash.isPresent()) {
            throw taken(clash.get());
        }
        try {
            return new Written(node, configurations.create(List.of(node), clock.instant()).get(0));
        } catch (FileAlreadyExistsException e) { // written by someone else since fileClash looked
            throw new NodeEditException(Reason.TAKEN, NodeConfiguration.NAME, e.getFile()
                    + " appeared meanwhile; nodes:list shows whether it is a node now");
        }
    }

    /**
     * Replaces the settings of the node named {@code name}; its configuration is updated in place,
     * and FileInstall writes the change to the file the configuration came from.
     */
    public Node change(String name, Map<String, ?> settings) throws NodeEditException, IOException {
        List<NodeConfigurations.Stored> all = configurations.all();
        NodeConfigurations.Stored stored = NodeConfigurations.byName(all, name).orElseThrow(() -> unknown(name));
        Node node = parse(settings);
        String storedName = stored.name().orElse(name);
        if (!node.name().toLowerCase(Locale.ROOT).equals(storedName.toLowerCase(Locale.ROOT))) {
            throw new NodeEditException(Reason.INVALID, NodeConfiguration.NAME, "'" + node.name()
                    + "' is not the name of the node changed ('" + storedName + "'); a node is renamed by removing"
                    + " it and adding it anew");
        }
        List<NodeConfigurations.Stored> others = all.stream().filter(s -> s != stored).toList();
        Optional<TakenValues.Clash> clash = TakenValues.of(others).clash(node);
        if (clash.isPresent()) {
            throw taken(clash.get());
        }
        Hashtable<String, Object> properties = NodeRecordParser.toProperties(node);
        for (String kept : List.of(NodeConfiguration.CREATED, NodeFiles.FILEINSTALL_FILENAME)) {
            Object value = stored.properties().get(kept);
            if (value != null) {
                properties.put(kept, value);
            }
        }
        stored.configuration().update(properties);
        return node;
    }

    /** Removes the node named {@code name}: its file, then its configuration. */
    public Removed remove(String name) throws NodeEditException, IOException {
        NodeConfigurations.Stored stored = NodeConfigurations.byName(configurations.all(), name)
                .orElseThrow(() -> unknown(name));
        String pid = stored.configuration().getPid();
        return new Removed(stored.name().orElse(name), pid, configurations.delete(stored));
    }

    private static Node parse(Map<String, ?> settings) throws NodeEditException {
        try {
            return NodeRecordParser.parse(settings);
        } catch (InvalidSettingException e) {
            throw new NodeEditException(Reason.INVALID, e.key(), e.getMessage());
        }
    }

    private static NodeEditException taken(TakenValues.Clash clash) {
        return new NodeEditException(Reason.TAKEN, clash.key(), clash.message());
    }

    private static NodeEditException unknown(String name) {
        return new NodeEditException(Reason.UNKNOWN, NodeConfiguration.NAME, "no node named '" + name + "'");
    }
}

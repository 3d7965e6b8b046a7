package org.diskless.nodes.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.nodes.NodeListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the inventory. Node configurations are not this component's own configuration (there
 * are many, one per node), so it reads them all through Config Admin once, then reads again only
 * the configuration a {@link ConfigurationEvent} of the node factory PID names: an import of
 * thousands of nodes costs one read per node, not one of the whole inventory per node. The
 * component's PID is only there to hang the node metatype on ({@code configurationPolicy = IGNORE}).
 */
@Component(service = {NodeDirectory.class, ConfigurationListener.class}, immediate = true,
        configurationPid = NodeConfiguration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.IGNORE)
@Designate(ocd = NodeConfig.class, factory = true)
public final class NodeDirectoryComponent implements NodeDirectory, ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(NodeDirectoryComponent.class);
    static final String FILTER = "(service.factoryPid=" + NodeConfiguration.FACTORY_PID + ")";

    private final ConfigurationAdmin configurationAdmin;
    private final NodeInventory inventory = new NodeInventory(LOG::warn, LOG::error);

    @Activate
    public NodeDirectoryComponent(@Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
        Map<String, Map<String, Object>> byPid = new HashMap<>();
        try {
            for (Configuration configuration : list(FILTER)) {
                properties(configuration).ifPresent(p -> byPid.put(configuration.getPid(), p));
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("Cannot read the node configurations; no node is served until one changes: {}", e.toString());
        }
        inventory.reload(byPid); // only the count is logged at start, not a line per node
        LOG.info("Node inventory serving {} node(s)", inventory.nodes().size());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNodeListener(NodeListener listener) {
        inventory.addListener(listener);
    }

    void removeNodeListener(NodeListener listener) {
        inventory.removeListener(listener);
    }

    /** Config Admin delivers events one at a time, so changes never overlap. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!NodeConfiguration.FACTORY_PID.equals(event.getFactoryPid())) {
            return;
        }
        String pid = event.getPid();
        Optional<Map<String, Object>> properties = Optional.empty();
        if (event.getType() != ConfigurationEvent.CM_DELETED) {
            try {
                Configuration[] found = list("(service.pid=" + escape(pid) + ")");
                properties = found.length == 0 ? Optional.empty() : properties(found[0]);
            } catch (IOException | InvalidSyntaxException e) {
                LOG.warn("Cannot read node configuration {}; what it served keeps serving: {}", pid, e.toString());
                return;
            }
        }
        for (NodeInventory.Change change : inventory.apply(pid, properties)) {
            LOG.info("Node {}", describe(change));
        }
    }

    private Configuration[] list(String filter) throws IOException, InvalidSyntaxException {
        Configuration[] found = configurationAdmin.listConfigurations(filter);
        return found == null ? new Configuration[0] : found;
    }

    /** The properties of a configuration, or empty while it is created but not yet updated. */
    private static Optional<Map<String, Object>> properties(Configuration configuration) {
        var properties = configuration.getProperties();
        if (properties == null) {
            return Optional.empty();
        }
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            map.put(key, properties.get(key));
        }
        return Optional.of(map);
    }

    /** A PID as a filter value: the characters RFC 1960 reserves, escaped. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '(' || c == ')' || c == '*' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    private static String describe(NodeInventory.Change change) {
        if (change.before().isEmpty()) {
            return "added: " + change.after().get().name() + " " + change.after().get().hardwareAddress();
        }
        if (change.after().isEmpty()) {
            return "removed: " + change.before().get().name();
        }
        return "changed: " + change.after().get().name();
    }

    @Override
    public Optional<Node> byHardwareAddress(HardwareAddress address) {
        return inventory.byHardwareAddress(address);
    }

    @Override
    public Optional<Node> byUuid(UUID uuid) {
        return inventory.byUuid(uuid);
    }

    @Override
    public Optional<Node> byAddress(InetAddress address) {
        return inventory.byAddress(address);
    }

    @Override
    public Optional<Node> byName(String name) {
        return inventory.byName(name);
    }

    @Override
    public Collection<Node> nodes() {
        return inventory.nodes();
    }
}

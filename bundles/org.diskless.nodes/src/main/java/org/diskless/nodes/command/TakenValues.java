package org.diskless.nodes.command;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;

/**
 * The names, MACs and addresses that stored node configurations and the nodes added so far hold,
 * each looked up in constant time, so that checking an import of thousands of nodes stays linear.
 * A stored configuration that does not parse still holds its name.
 */
final class TakenValues {

    /** Why each name (lower case, as names compare) is taken. */
    private final Map<String, String> names = new HashMap<>();
    /** The node holding each MAC and each address. */
    private final Map<HardwareAddress, String> macs = new HashMap<>();
    private final Map<InetAddress, String> addresses = new HashMap<>();

    static TakenValues of(List<NodeConfigurations.Stored> stored) {
        TakenValues taken = new TakenValues();
        for (NodeConfigurations.Stored configuration : stored) {
            configuration.name().ifPresent(name -> taken.names.putIfAbsent(key(name), "a node named '" + name
                    + "' already exists (configuration " + configuration.configuration().getPid() + ")"));
            configuration.node().ifPresent(taken::holdValues);
        }
        return taken;
    }

    /** Why {@code node} cannot be added, if it cannot. */
    Optional<String> clash(Node node) {
        String name = names.get(key(node.name()));
        if (name != null) {
            return Optional.of(name);
        }
        String holder = macs.get(node.hardwareAddress());
        if (holder != null) {
            return Optional.of("MAC " + node.hardwareAddress() + " already belongs to node '" + holder + "'");
        }
        holder = node.address().map(addresses::get).orElse(null);
        if (holder != null) {
            return Optional.of("address " + node.address().get().getHostAddress() + " already belongs to node '"
                    + holder + "'");
        }
        return Optional.empty();
    }

    /** Takes the values of {@code node}, added a moment ago. */
    void add(Node node) {
        names.put(key(node.name()), "a node named '" + node.name() + "' already exists");
        holdValues(node);
    }

    private void holdValues(Node node) {
        macs.putIfAbsent(node.hardwareAddress(), node.name());
        node.address().ifPresent(a -> addresses.putIfAbsent(a, node.name()));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}

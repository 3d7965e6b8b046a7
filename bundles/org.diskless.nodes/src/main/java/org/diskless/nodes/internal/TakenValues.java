package org.diskless.nodes.internal;

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
 * A stored configuration that does not parse still holds its name. Each value remembers where its
 * holder is (the inventory's file, or a line of the file being imported), so that a refusal says
 * which copy to look at.
 */
public final class TakenValues {

    /** A node holding a value, and where it is. */
    private record Holder(String name, String where) {
    }

    private final Map<String, Holder> names = new HashMap<>();
    private final Map<HardwareAddress, Holder> macs = new HashMap<>();
    private final Map<InetAddress, Holder> addresses = new HashMap<>();

    public static TakenValues of(List<NodeConfigurations.Stored> stored) {
        TakenValues taken = new TakenValues();
        for (NodeConfigurations.Stored configuration : stored) {
            String where = "in the inventory (" + configuration.origin() + ")";
            configuration.name().ifPresent(name -> taken.names.putIfAbsent(key(name), new Holder(name, where)));
            configuration.node().ifPresent(node -> taken.holdValues(node, where));
        }
        return taken;
    }

    /** A value another node holds: its key ({@code name}, {@code mac}, {@code address}) and who holds it. */
    public record Clash(String key, String message) {
    }

    /** Why {@code node} cannot be added, if it cannot. */
    public Optional<Clash> clash(Node node) {
        Holder holder = names.get(key(node.name()));
        if (holder != null) {
            return Optional.of(new Clash(NodeConfiguration.NAME, "a node named '" + holder.name() + "' is already "
                    + holder.where()));
        }
        holder = macs.get(node.hardwareAddress());
        if (holder != null) {
            return Optional.of(new Clash(NodeConfiguration.MAC, "MAC " + node.hardwareAddress()
                    + " already belongs to node '" + holder.name() + "' " + holder.where()));
        }
        holder = node.address().map(addresses::get).orElse(null);
        if (holder != null) {
            return Optional.of(new Clash(NodeConfiguration.ADDRESS, "address "
                    + node.address().get().getHostAddress() + " already belongs to node '" + holder.name() + "' "
                    + holder.where()));
        }
        return Optional.empty();
    }

    /** Takes the values of {@code node}, found a moment ago {@code where} (e.g. "on line 3 of this file"). */
    public void add(Node node, String where) {
        names.put(key(node.name()), new Holder(node.name(), where));
        holdValues(node, where);
    }

    private void holdValues(Node node, String where) {
        Holder holder = new Holder(node.name(), where);
        macs.putIfAbsent(node.hardwareAddress(), holder);
        node.address().ifPresent(a -> addresses.putIfAbsent(a, holder));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}

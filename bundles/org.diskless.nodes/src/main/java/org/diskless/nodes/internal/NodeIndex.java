package org.diskless.nodes.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.nodes.NodeConfiguration;

/**
 * An immutable snapshot of the inventory, indexed every way a protocol looks a node up. Built
 * whole and swapped in one write, so a reader never sees half an update.
 *
 * <p>Names, MACs and addresses are unique. When two configurations claim the same one, the node
 * already serving keeps it and the newcomer is refused: editing one file must not take another
 * machine off the network. A UUID claimed twice (cheap boards ship identical ones) is answered for
 * nobody, as answering for the wrong machine is worse than not answering.
 */
public final class NodeIndex {

    private static final NodeIndex EMPTY = new NodeIndex(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    private final Map<String, Node> byPid;
    private final Map<HardwareAddress, Node> byMac;
    private final Map<UUID, Node> byUuid;
    private final Map<InetAddress, Node> byAddress;
    private final Map<String, Node> byName;
    private final List<Node> nodes;

    /** The index and what could not go into it. */
    public record Built(NodeIndex index, List<Refusal> refusals, List<String> warnings) {
    }

    private NodeIndex(Map<String, Node> byPid, Map<HardwareAddress, Node> byMac, Map<UUID, Node> byUuid,
                      Map<InetAddress, Node> byAddress, Map<String, Node> byName) {
        this.byPid = Map.copyOf(byPid);
        this.byMac = Map.copyOf(byMac);
        this.byUuid = Map.copyOf(byUuid);
        this.byAddress = Map.copyOf(byAddress);
        this.byName = Map.copyOf(byName);
        this.nodes = byName.values().stream().sorted(Comparator.comparing(Node::name)).toList();
    }

    public static NodeIndex empty() {
        return EMPTY;
    }

    /**
     * Indexes {@code records}; where two conflict, the one {@code previous} already served wins,
     * then the lower PID. A record that loses and whose PID served an older node keeps that one,
     * if it still fits.
     */
    public static Built build(Collection<NodeRecord> records, NodeIndex previous) {
        List<NodeRecord> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparing((NodeRecord r) -> !r.node().equals(previous.byPid.get(r.pid())))
                .thenComparing(NodeRecord::pid));
        Map<String, Node> byPid = new HashMap<>();
        Map<String, String> pidByName = new HashMap<>();
        Map<HardwareAddress, String> pidByMac = new HashMap<>();
        Map<InetAddress, String> pidByAddress = new HashMap<>();
        List<Refusal> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (NodeRecord record : ordered) {
            Optional<Refusal> conflict = conflict(record, byPid, pidByName, pidByMac, pidByAddress);
            Node accepted = record.node();
            if (conflict.isPresent()) {
                refusals.add(conflict.get());
                Node older = previous.byPid.get(record.pid());
                if (older == null || older.equals(record.node())
                        || conflict(new NodeRecord(record.pid(), older), byPid, pidByName, pidByMac, pidByAddress)
                        .isPresent()) {
                    continue;
                }
                warnings.add("node configuration " + record.pid() + ": its previous settings (node '"
                        + older.name() + "') keep serving");
                accepted = older;
            }
            byPid.put(record.pid(), accepted);
            pidByName.put(key(accepted.name()), record.pid());
            pidByMac.put(accepted.hardwareAddress(), record.pid());
            accepted.address().ifPresent(a -> pidByAddress.put(a, record.pid()));
        }
        Map<HardwareAddress, Node> byMac = new HashMap<>();
        Map<InetAddress, Node> byAddress = new HashMap<>();
        Map<String, Node> byName = new HashMap<>();
        Map<UUID, Node> byUuid = new HashMap<>();
        Set<UUID> ambiguous = new HashSet<>();
        Map<UUID, String> uuidPid = new TreeMap<>();
        for (Map.Entry<String, Node> entry : new TreeMap<>(byPid).entrySet()) {
            Node node = entry.getValue();
            byMac.put(node.hardwareAddress(), node);
            byName.put(key(node.name()), node);
            node.address().ifPresent(a -> byAddress.put(a, node));
            node.uuid().ifPresent(u -> {
                if (byUuid.putIfAbsent(u, node) != null || ambiguous.contains(u)) {
                    ambiguous.add(u);
                    warnings.add("node configuration " + entry.getKey() + ": uuid " + u
                            + " is also used by configuration " + uuidPid.get(u)
                            + "; no node is found by this UUID until one of them is changed");
                }
                uuidPid.putIfAbsent(u, entry.getKey());
            });
        }
        ambiguous.forEach(byUuid::remove);
        return new Built(new NodeIndex(byPid, byMac, byUuid, byAddress, byName), List.copyOf(refusals),
                List.copyOf(warnings));
    }

    private static Optional<Refusal> conflict(NodeRecord record, Map<String, Node> byPid,
                                              Map<String, String> pidByName, Map<HardwareAddress, String> pidByMac,
                                              Map<InetAddress, String> pidByAddress) {
        Node node = record.node();
        String other = pidByName.get(key(node.name()));
        if (other != null) {
            return Optional.of(new Refusal(record.pid(), NodeConfiguration.NAME,
                    "name '" + node.name() + "' is already used by configuration " + other));
        }
        other = pidByMac.get(node.hardwareAddress());
        if (other != null) {
            return Optional.of(new Refusal(record.pid(), NodeConfiguration.MAC, "MAC " + node.hardwareAddress()
                    + " is already used by node '" + byPid.get(other).name() + "' (configuration " + other + ")"));
        }
        if (node.address().isPresent()) {
            other = pidByAddress.get(node.address().get());
            if (other != null) {
                return Optional.of(new Refusal(record.pid(), NodeConfiguration.ADDRESS, "address "
                        + node.address().get().getHostAddress() + " is already used by node '"
                        + byPid.get(other).name() + "' (configuration " + other + ")"));
            }
        }
        return Optional.empty();
    }

    /** Host names compare without case, as DNS does. */
    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public Optional<Node> byPid(String pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    public Set<String> pids() {
        return byPid.keySet();
    }

    public Optional<Node> byHardwareAddress(HardwareAddress address) {
        return Optional.ofNullable(byMac.get(address));
    }

    public Optional<Node> byUuid(UUID uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    public Optional<Node> byAddress(InetAddress address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    public Optional<Node> byName(String name) {
        return Optional.ofNullable(byName.get(key(name)));
    }

    /** Every node, in name order. */
    public List<Node> nodes() {
        return nodes;
    }
}

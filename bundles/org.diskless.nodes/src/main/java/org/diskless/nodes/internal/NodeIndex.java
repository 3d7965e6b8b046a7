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

/**
 * Which configurations serve, when every one is settled against all others, indexed every way a
 * protocol looks a node up. Immutable; {@link NodeInventory} builds one when a change touches a
 * contested value and brings its live lookups to it.
 *
 * <p>Names, MACs and addresses are unique. When two configurations claim the same one, the one
 * created first serves and the other is refused ({@link NodeRecord#PRECEDENCE}): a rule of the
 * configurations alone, so the server settles a conflict the same way live and after a restart. A
 * UUID claimed twice (cheap boards ship identical ones) is answered for nobody, as answering for
 * the wrong machine is worse than not answering.
 */
public final class NodeIndex {

    final Map<String, Node> byPid;
    private final Map<HardwareAddress, Node> byMac;
    final Map<UUID, Node> byUuid;
    private final Map<InetAddress, Node> byAddress;
    private final Map<String, Node> byName;
    private final List<Node> nodes;

    /** The index and what could not go into it. */
    public record Built(NodeIndex index, List<Refusal> refusals, List<Warning> warnings) {
    }

    /** Something about a configuration that serves, but not wholly as written. */
    public record Warning(String pid, String message) {
        @Override
        public String toString() {
            return Refusal.fileOf(pid) + ": " + message;
        }
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

    /** Indexes {@code records}; where two conflict, the one first by {@link NodeRecord#PRECEDENCE} serves. */
    public static Built build(Collection<NodeRecord> records) {
        List<NodeRecord> ordered = new ArrayList<>(records);
        ordered.sort(NodeRecord.PRECEDENCE);
        Map<String, Node> byPid = new HashMap<>();
        Map<String, NodeRecord> holderOfName = new HashMap<>();
        Map<HardwareAddress, NodeRecord> holderOfMac = new HashMap<>();
        Map<InetAddress, NodeRecord> holderOfAddress = new HashMap<>();
        List<Refusal> refusals = new ArrayList<>();
        List<Warning> warnings = new ArrayList<>();
        for (NodeRecord record : ordered) {
            Optional<Refusal> conflict = conflict(record, holderOfName, holderOfMac, holderOfAddress);
            if (conflict.isPresent()) {
                refusals.add(conflict.get());
                continue;
            }
            Node node = record.node();
            byPid.put(record.pid(), node);
            holderOfName.put(key(node.name()), record);
            holderOfMac.put(node.hardwareAddress(), record);
            node.address().ifPresent(a -> holderOfAddress.put(a, record));
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
                    warnings.add(new Warning(entry.getKey(), "uuid " + u + " is also used by configuration "
                            + uuidPid.get(u) + "; no node is found by this UUID until one of them is changed"));
                }
                uuidPid.putIfAbsent(u, entry.getKey());
            });
        }
        ambiguous.forEach(byUuid::remove);
        return new Built(new NodeIndex(byPid, byMac, byUuid, byAddress, byName), List.copyOf(refusals),
                List.copyOf(warnings));
    }

    private static Optional<Refusal> conflict(NodeRecord record, Map<String, NodeRecord> holderOfName,
                                              Map<HardwareAddress, NodeRecord> holderOfMac,
                                              Map<InetAddress, NodeRecord> holderOfAddress) {
        Node node = record.node();
        NodeRecord holder = holderOfName.get(key(node.name()));
        if (holder != null) {
            return Optional.of(refusal(record, NodeConfiguration.NAME, "name '" + node.name() + "'", holder));
        }
        holder = holderOfMac.get(node.hardwareAddress());
        if (holder != null) {
            return Optional.of(refusal(record, NodeConfiguration.MAC, "MAC " + node.hardwareAddress(), holder));
        }
        holder = node.address().map(holderOfAddress::get).orElse(null);
        if (holder != null) {
            return Optional.of(refusal(record, NodeConfiguration.ADDRESS,
                    "address " + node.address().get().getHostAddress(), holder));
        }
        return Optional.empty();
    }

    private static Refusal refusal(NodeRecord record, String key, String what, NodeRecord holder) {
        return new Refusal(record.pid(), key, what + " is already used by node '" + holder.node().name()
                + "' (" + Refusal.fileOf(holder.pid()) + "), which serves as the one " + holder.precedesBecause(record)
                + "; change or remove one of them");
    }

    /** Host names compare without case, as DNS does. */
    static String key(String name) {
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

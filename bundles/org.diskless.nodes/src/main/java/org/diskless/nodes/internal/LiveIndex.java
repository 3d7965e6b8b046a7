package org.diskless.nodes.internal;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;

/**
 * The nodes being served, looked up without a lock by every protocol's threads while one writer
 * ({@link NodeInventory}, under its lock) changes them one configuration at a time. A lookup
 * during a change sees that node either as it was or as it is now.
 */
final class LiveIndex {

    private final Map<String, Node> byPid = new ConcurrentHashMap<>();
    private final Map<HardwareAddress, Node> byMac = new ConcurrentHashMap<>();
    private final Map<UUID, Node> byUuid = new ConcurrentHashMap<>();
    private final Map<InetAddress, Node> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Node> byName = new ConcurrentHashMap<>();
    /** Counts changes (one writer), so that {@link #nodes()} knows when its list is out of date. */
    private volatile long version;
    private volatile Sorted sorted = new Sorted(-1, List.of());

    /** {@link #nodes()} as built at one version. */
    private record Sorted(long version, List<Node> nodes) {
    }

    /** Serves {@code node} for {@code pid}, whose values no served node holds. */
    void serve(String pid, Node node) {
        byPid.put(pid, node);
        byMac.put(node.hardwareAddress(), node);
        byName.put(NodeIndex.key(node.name()), node);
        node.address().ifPresent(a -> byAddress.put(a, node));
        node.uuid().ifPresent(u -> byUuid.put(u, node));
        version++;
    }

    /** Stops serving what {@code pid} served; a value another node holds by now stays with it. */
    void withdraw(String pid) {
        Node node = byPid.remove(pid);
        if (node == null) {
            return;
        }
        byMac.remove(node.hardwareAddress(), node);
        byName.remove(NodeIndex.key(node.name()), node);
        node.address().ifPresent(a -> byAddress.remove(a, node));
        node.uuid().ifPresent(u -> byUuid.remove(u, node));
        version++;
    }

    /** Changes what is served, node by node, until it is what {@code target} serves. */
    void matchTo(NodeIndex target) {
        for (Map.Entry<String, Node> served : Map.copyOf(byPid).entrySet()) {
            if (!served.getValue().equals(target.byPid.get(served.getKey()))) {
                withdraw(served.getKey());
            }
        }
        target.byPid.forEach((pid, node) -> {
            if (!node.equals(byPid.get(pid))) {
                serve(pid, node);
            }
        });
        // A UUID two nodes share is found for neither: what serve() put for it goes.
        for (Map.Entry<UUID, Node> entry : Map.copyOf(byUuid).entrySet()) {
            if (!entry.getValue().equals(target.byUuid.get(entry.getKey()))) {
                byUuid.remove(entry.getKey(), entry.getValue());
            }
        }
        byUuid.putAll(target.byUuid);
    }

    Set<String> pids() {
        return byPid.keySet();
    }

    Optional<Node> byPid(String pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    Optional<Node> byHardwareAddress(HardwareAddress address) {
        return Optional.ofNullable(byMac.get(address));
    }

    Optional<Node> byUuid(UUID uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    Optional<Node> byAddress(InetAddress address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    Optional<Node> byName(String name) {
        return Optional.ofNullable(byName.get(NodeIndex.key(name)));
    }

    /** Every node, in name order. */
    List<Node> nodes() {
        long now = version;
        Sorted cached = sorted;
        if (cached.version() == now) {
            return cached.nodes();
        }
        List<Node> nodes = byPid.values().stream().sorted(Comparator.comparing(Node::name)).toList();
        sorted = new Sorted(now, nodes); // if a change came meanwhile, the version no longer matches
        return nodes;
    }
}

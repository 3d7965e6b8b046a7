package org.diskless.nodes.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.nodes.NodeListener;

/**
 * The inventory without OSGi: given every node configuration, it parses, indexes, swaps the
 * snapshot in and tells the listeners what changed. A configuration that cannot be served is
 * reported once (not again on every later reload) and never stops the others.
 */
public final class NodeInventory implements NodeDirectory {

    /** What one reload changed for one configuration. */
    public record Change(Optional<Node> before, Optional<Node> after) {
    }

    private final Consumer<String> warn;
    private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile NodeIndex index = NodeIndex.empty();
    private Set<String> reported = Set.of();

    public NodeInventory(Consumer<String> warn) {
        this.warn = warn;
    }

    public void addListener(NodeListener listener) {
        listeners.add(listener);
    }

    public void removeListener(NodeListener listener) {
        listeners.remove(listener);
    }

    /**
     * Replaces the inventory with {@code configurations} (properties by PID) and notifies the
     * listeners after the swap.
     *
     * @return the changes, in PID order
     */
    public List<Change> reload(Map<String, ? extends Map<String, ?>> configurations) {
        List<Change> changes = swap(configurations);
        for (Change change : changes) {
            for (NodeListener listener : listeners) {
                try {
                    listener.nodeChanged(change.before(), change.after());
                } catch (RuntimeException e) {
                    warn.accept("node listener " + listener.getClass().getName() + " failed on "
                            + change.after().or(change::before).map(Node::name).orElse("?") + ": " + e);
                }
            }
        }
        return changes;
    }

    private synchronized List<Change> swap(Map<String, ? extends Map<String, ?>> configurations) {
        NodeIndex previous = index;
        Set<String> problems = new LinkedHashSet<>();
        List<NodeRecord> records = new ArrayList<>();
        for (Map.Entry<String, ? extends Map<String, ?>> entry : configurations.entrySet()) {
            String pid = entry.getKey();
            try {
                records.add(new NodeRecord(pid, NodeRecordParser.parse(entry.getValue()),
                        NodeRecordParser.created(entry.getValue())));
            } catch (InvalidNodeException e) {
                Optional<NodeRecord> older = previous.recordOf(pid);
                problems.add(new Refusal(pid, e.key(), e.getMessage() + older.map(r -> "; its previous settings"
                        + " (node '" + r.node().name() + "') keep serving").orElse("")).toString());
                older.ifPresent(records::add);
            }
        }
        NodeIndex.Built built = NodeIndex.build(records);
        built.refusals().forEach(r -> problems.add(r.toString()));
        problems.addAll(built.warnings());
        for (String problem : problems) {
            if (!reported.contains(problem)) {
                warn.accept(problem);
            }
        }
        reported = Set.copyOf(problems);
        index = built.index();
        List<Change> changes = new ArrayList<>();
        Set<String> pids = new TreeSet<>(previous.pids());
        pids.addAll(built.index().pids());
        for (String pid : pids) {
            Optional<Node> before = previous.byPid(pid);
            Optional<Node> after = built.index().byPid(pid);
            if (!before.equals(after)) {
                changes.add(new Change(before, after));
            }
        }
        return changes;
    }

    @Override
    public Optional<Node> byHardwareAddress(HardwareAddress address) {
        return index.byHardwareAddress(address);
    }

    @Override
    public Optional<Node> byUuid(UUID uuid) {
        return index.byUuid(uuid);
    }

    @Override
    public Optional<Node> byAddress(InetAddress address) {
        return index.byAddress(address);
    }

    @Override
    public Optional<Node> byName(String name) {
        return index.byName(name);
    }

    @Override
    public Collection<Node> nodes() {
        return index.nodes();
    }
}

package org.diskless.nodes.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.nodes.NodeListener;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;

/**
 * The inventory without OSGi: it parses node configurations, decides which serve, keeps the
 * lookups up to date and tells the listeners what changed. A configuration that cannot be served is
 * reported once (not again on every later change) and never stops the others.
 *
 * <p>A change to one configuration costs what that configuration touches, not the size of the
 * inventory: when none of its names, MACs, addresses or UUIDs (old or new) is claimed by another
 * configuration, it is served or withdrawn on its own. Only a change touching a value that another
 * configuration also claims settles every conflict again ({@link NodeIndex#build}), since the
 * outcome of one conflict can free or take a value in another.
 */
public final class NodeInventory implements NodeDirectory {

    /** What one change did to the node one configuration serves. */
    public record Change(Optional<Node> before, Optional<Node> after) {
    }

    private final Consumer<String> warn;
    private final Consumer<String> error;
    private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
    private final LiveIndex live = new LiveIndex();
    // The rest is touched under this object's lock only.
    /** Every configuration as last read (or, when its latest version did not parse, the one before). */
    private final Map<String, NodeRecord> records = new HashMap<>();
    /** Which configurations claim each name (lower case), MAC, address and UUID. */
    private final Map<Object, Set<String>> claimants = new HashMap<>();
    /** Why a configuration's latest version could not be read, by PID; logged once. */
    private final Map<String, String> unreadable = new HashMap<>();
    /** The keys of a configuration that no node setting reads (a typo?), by PID; logged once. */
    private final Map<String, List<String>> unknownKeys = new HashMap<>();
    /** Why a configuration lost a conflict (or shares a UUID), by PID; each line logged once. */
    private final Map<String, Set<String>> conflicts = new HashMap<>();

    /** Both kinds of line to one place, as a test reads them. */
    public NodeInventory(Consumer<String> lines) {
        this(lines, lines);
    }

    /**
     * @param warn  a configuration that serves, but not wholly as written
     * @param error a configuration that is refused
     */
    public NodeInventory(Consumer<String> warn, Consumer<String> error) {
        this.warn = warn;
        this.error = error;
    }

    public void addListener(NodeListener listener) {
        listeners.add(listener);
    }

    public void removeListener(NodeListener listener) {
        listeners.remove(listener);
    }

    /**
     * Replaces the inventory with {@code configurations} (properties by PID) and notifies the
     * listeners after the lookups have changed.
     *
     * @return the changes, in PID order
     */
    public List<Change> reload(Map<String, ? extends Map<String, ?>> configurations) {
        List<Change> changes;
        synchronized (this) {
            Set<String> gone = new HashSet<>(records.keySet());
            gone.removeAll(configurations.keySet());
            gone.forEach(this::forget);
            configurations.forEach(this::read);
            changes = settleAll();
        }
        notifyListeners(changes);
        return changes;
    }

    /**
     * Applies one configuration's change: its new properties, or empty when it was deleted.
     *
     * @return what that changed (more than one node when it settled a conflict)
     */
    public List<Change> apply(String pid, Optional<? extends Map<String, ?>> properties) {
        List<Change> changes;
        synchronized (this) {
            NodeRecord before = records.get(pid);
            if (properties.isPresent()) {
                read(pid, properties.get());
            } else {
                forget(pid);
            }
            NodeRecord after = records.get(pid);
            if (contested(pid, before) || contested(pid, after)) {
                changes = settleAll();
            } else {
                changes = settleAlone(pid, after);
            }
        }
        notifyListeners(changes);
        return changes;
    }

    /** Parses one configuration into {@link #records}; a version that does not parse leaves the one before. */
    private void read(String pid, Map<String, ?> properties) {
        NodeRecord previous = records.get(pid);
        Config config = Config.of(properties);
        try {
            NodeRecord record = new NodeRecord(pid, NodeRecordParser.parse(config), NodeRecordParser.created(config));
            unclaim(previous);
            records.put(pid, record);
            claim(record);
            unreadable.remove(pid);
            noteUnknownKeys(pid, config.unreadKeys());
        } catch (InvalidSettingException e) {
            String line = SettingsUpdate.refusal(Refusal.fileOf(pid), e.getMessage(), previous == null
                    ? "this node is not served until it is fixed"
                    : "its previous settings (node '" + previous.node().name() + "') keep serving");
            if (!line.equals(unreadable.put(pid, line))) {
                error.accept(line);
            }
        }
    }

    /** Names, once, the keys of {@code pid} no node setting reads: a typo would otherwise go unnoticed. */
    private void noteUnknownKeys(String pid, List<String> keys) {
        if (keys.isEmpty()) {
            unknownKeys.remove(pid);
        } else if (!keys.equals(unknownKeys.put(pid, keys))) {
            keys.forEach(key -> warn.accept(SettingsUpdate.unknownKey(Refusal.fileOf(pid), key)));
        }
    }

    private void forget(String pid) {
        unclaim(records.remove(pid));
        unreadable.remove(pid);
        unknownKeys.remove(pid);
        conflicts.remove(pid);
    }

    /** Serves {@code record} (or nothing) for {@code pid}, which shares no value with any other configuration. */
    private List<Change> settleAlone(String pid, NodeRecord record) {
        Optional<Node> before = live.byPid(pid);
        Optional<Node> after = Optional.ofNullable(record).map(NodeRecord::node);
        if (before.equals(after)) {
            return List.of();
        }
        before.ifPresent(node -> live.withdraw(pid));
        after.ifPresent(node -> live.serve(pid, node));
        return List.of(new Change(before, after));
    }

    /** Settles every conflict again and brings the lookups to the outcome. */
    private List<Change> settleAll() {
        NodeIndex.Built built = NodeIndex.build(records.values());
        Map<String, Set<String>> lines = new HashMap<>();
        built.refusals().forEach(r -> lines.computeIfAbsent(r.pid(), p -> new LinkedHashSet<>()).add(r.toString()));
        built.warnings().forEach(w -> lines.computeIfAbsent(w.pid(), p -> new LinkedHashSet<>()).add(w.toString()));
        Set<String> refused = built.refusals().stream().map(Refusal::toString).collect(Collectors.toSet());
        lines.forEach((pid, now) -> now.stream().filter(line -> !conflicts.getOrDefault(pid, Set.of()).contains(line))
                .forEach(line -> (refused.contains(line) ? error : warn).accept(line)));
        conflicts.clear();
        conflicts.putAll(lines);
        List<Change> changes = new ArrayList<>();
        Set<String> pids = new TreeSet<>(live.pids());
        pids.addAll(built.index().pids());
        for (String pid : pids) {
            Optional<Node> before = live.byPid(pid);
            Optional<Node> after = built.index().byPid(pid);
            if (!before.equals(after)) {
                changes.add(new Change(before, after));
            }
        }
        live.matchTo(built.index());
        return changes;
    }

    /** Whether another configuration claims one of the values of {@code record}. */
    private boolean contested(String pid, NodeRecord record) {
        if (record == null) {
            return false;
        }
        for (Object value : claimedBy(record)) {
            Set<String> pids = claimants.get(value);
            if (pids != null && (pids.size() > 1 || !pids.contains(pid))) {
                return true;
            }
        }
        return false;
    }

    private void claim(NodeRecord record) {
        for (Object value : claimedBy(record)) {
            claimants.computeIfAbsent(value, v -> new HashSet<>(2)).add(record.pid());
        }
    }

    private void unclaim(NodeRecord record) {
        if (record == null) {
            return;
        }
        for (Object value : claimedBy(record)) {
            Set<String> pids = claimants.get(value);
            if (pids != null && pids.remove(record.pid()) && pids.isEmpty()) {
                claimants.remove(value);
            }
        }
    }

    /** The values a record claims; each kind has its own type, so they never collide in one map. */
    private static List<Object> claimedBy(NodeRecord record) {
        Node node = record.node();
        List<Object> values = new ArrayList<>(4);
        values.add(new NameKey(node.name().toLowerCase(Locale.ROOT)));
        values.add(node.hardwareAddress());
        node.address().ifPresent(values::add);
        node.uuid().ifPresent(values::add);
        return values;
    }

    private record NameKey(String lowerCase) {
    }

    private void notifyListeners(List<Change> changes) {
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
    }

    @Override
    public Optional<Node> byHardwareAddress(HardwareAddress address) {
        return live.byHardwareAddress(address);
    }

    @Override
    public Optional<Node> byUuid(UUID uuid) {
        return live.byUuid(uuid);
    }

    @Override
    public Optional<Node> byAddress(InetAddress address) {
        return live.byAddress(address);
    }

    @Override
    public Optional<Node> byName(String name) {
        return live.byName(name);
    }

    @Override
    public Collection<Node> nodes() {
        return live.nodes();
    }
}

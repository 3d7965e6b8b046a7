package org.diskless.rmp.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;
import org.diskless.support.log.Printable;

/**
 * Who gets answered, built from the configuration files (see {@link CnodeTableBuilder}) and
 * looked up per request together with the node inventory. Immutable: a reload builds a new one.
 */
final class CnodeTable {

    static final CnodeTable EMPTY = new CnodeTable(Map.of(), Map.of(), List.of(), List.of(), false, true);

    /** Entries with a link address, per address (several when they differ by machine type). */
    private final Map<HardwareAddress, List<Cnode>> byMac;
    /** boottab lines without a link address, found through the inventory by node name. */
    private final Map<String, List<Cnode>> byName;
    /** boottab {@code default} lines: any other machine of their type. */
    private final List<Cnode> defaults;
    private final List<String> defaultBootFiles;
    private final boolean answerAny;
    private final boolean inventory;

    CnodeTable(Map<HardwareAddress, List<Cnode>> byMac, Map<String, List<Cnode>> byName, List<Cnode> defaults,
            List<String> defaultBootFiles, boolean answerAny, boolean inventory) {
        this.byMac = Map.copyOf(byMac);
        this.byName = Map.copyOf(byName);
        this.defaults = List.copyOf(defaults);
        this.defaultBootFiles = List.copyOf(defaultBootFiles);
        this.answerAny = answerAny;
        this.inventory = inventory;
    }

    /** What a lookup found: the cnode, or why a listed machine is still not answered. */
    record Lookup(Optional<Cnode> cnode, Optional<String> refusal) {
        static Lookup found(Cnode cnode) {
            return new Lookup(Optional.of(cnode), Optional.empty());
        }

        static Lookup refused(String why) {
            return new Lookup(Optional.empty(), Optional.of(why));
        }

        static final Lookup UNKNOWN = new Lookup(Optional.empty(), Optional.empty());
    }

    /**
     * The cnode a frame from {@code mac} is served as.
     *
     * @param machineType the machine type of a boot request; empty for read and boot-complete
     *                    frames, which carry none (any entry of that machine will do)
     * @param node        the inventory's node for this MAC, if any
     */
    Lookup find(HardwareAddress mac, String machineType, Optional<Node> node) {
        List<Cnode> entries = byMac.get(mac);
        Optional<Node> known = inventory ? node : Optional.empty();
        if (entries != null) {
            return pick(entries, machineType).map(cnode -> Lookup.found(named(cnode, mac, known)))
                    .orElseGet(() -> Lookup.refused(mismatch(entries, machineType)));
        }
        if (known.isPresent()) {
            List<Cnode> named = byName.get(known.get().name());
            if (named != null) {
                return pick(named, machineType).map(cnode -> Lookup.found(cnode.withMac(mac)))
                        .orElseGet(() -> Lookup.refused(mismatch(named, machineType)));
            }
            Optional<Cnode> fromInventory = fromInventory(known.get());
            if (fromInventory.isPresent()) {
                return Lookup.found(fromInventory.get());
            }
        }
        Optional<Cnode> fallback = pick(defaults, machineType);
        if (fallback.isPresent()) {
            return Lookup.found(fallback.get().withName(Cnode.derivedName(mac)).withMac(mac));
        }
        if (answerAny) {
            return Lookup.found(new Cnode(known.map(Node::name).orElse(Cnode.derivedName(mac)), Optional.of(mac),
                    Optional.empty(), defaultBootFiles, List.of(), "answerAny"));
        }
        return Lookup.UNKNOWN;
    }

    /** Every configured entry, for {@code rmp:cnodes}; inventory nodes are added by the caller. */
    List<Cnode> entries() {
        List<Cnode> all = new ArrayList<>();
        byMac.values().forEach(all::addAll);
        byName.values().forEach(all::addAll);
        all.addAll(defaults);
        all.sort(Comparator.comparing(Cnode::name).thenComparing(c -> c.machineType().orElse("")));
        return all;
    }

    boolean answerAny() {
        return answerAny;
    }

    List<String> defaultBootFiles() {
        return defaultBootFiles;
    }

    /** A node of the inventory whose boot files have RMP roles is a cnode of its own. */
    Optional<Cnode> fromInventory(Node node) {
        if (!inventory) {
            return Optional.empty();
        }
        TreeMap<Integer, String> files = new TreeMap<>();
        for (Map.Entry<String, String> file : node.bootFiles().entrySet()) {
            BootRole.rmpIndex(file.getKey()).ifPresent(index -> files.put(index, file.getValue()));
        }
        if (files.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Cnode(node.name(), Optional.of(node.hardwareAddress()), Optional.empty(),
                List.copyOf(files.values()), List.of(), "inventory"));
    }

    /** rbootd.conf names no host: the inventory's name for the MAC is the better cnode name. */
    private static Cnode named(Cnode cnode, HardwareAddress mac, Optional<Node> node) {
        if (node.isPresent() && cnode.name().equals(Cnode.derivedName(mac))) {
            return cnode.withName(node.get().name());
        }
        return cnode;
    }

    private static Optional<Cnode> pick(List<Cnode> entries, String machineType) {
        if (machineType.isEmpty()) {
            return entries.stream().findFirst();
        }
        Optional<Cnode> exact = entries.stream()
                .filter(c -> c.machineType().isPresent() && c.machineType().get().equalsIgnoreCase(machineType))
                .findFirst();
        return exact.or(() -> entries.stream().filter(c -> c.machineType().isEmpty()).findFirst());
    }

    private static String mismatch(List<Cnode> entries, String machineType) {
        return "machine type '" + Printable.of(machineType, RmpProtocol.MAX_NAME_CHARS) + "' is not the configured "
                + entries.stream().map(c -> c.machineType().orElse("")).distinct().toList()
                + " for cnode " + entries.get(0).name() + " (" + entries.get(0).origin() + ")";
    }
}

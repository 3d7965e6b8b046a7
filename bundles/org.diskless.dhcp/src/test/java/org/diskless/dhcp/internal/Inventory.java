package org.diskless.dhcp.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;

/** A node directory holding the nodes a test adds. */
final class Inventory implements NodeDirectory {

    private final List<Node> nodes = new ArrayList<>();

    Inventory add(Node node) {
        nodes.add(node);
        return this;
    }

    @Override
    public Optional<Node> byHardwareAddress(HardwareAddress address) {
        return nodes.stream().filter(n -> n.hardwareAddress().equals(address)).findFirst();
    }

    @Override
    public Optional<Node> byUuid(UUID uuid) {
        return nodes.stream().filter(n -> n.uuid().equals(Optional.of(uuid))).findFirst();
    }

    @Override
    public Optional<Node> byAddress(InetAddress address) {
        return nodes.stream().filter(n -> n.address().equals(Optional.of(address))).findFirst();
    }

    @Override
    public Optional<Node> byName(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    @Override
    public Collection<Node> nodes() {
        return nodes.stream().sorted(Comparator.comparing(Node::name)).toList();
    }
}

package org.diskless.api.boot;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;

/**
 * Who is asking: the protocol, the client's address and whatever else is known about it. File
 * resolution and boot loaders decide per context, so two nodes may get two different files for
 * the same name.
 */
public final class BootContext {

    private final BootProtocol protocol;
    private final InetSocketAddress client;
    private final Optional<HardwareAddress> hardwareAddress;
    private final Optional<Node> node;
    private final Optional<ClientArchitecture> architecture;
    private final Optional<String> userClass;

    private BootContext(BootProtocol protocol, InetSocketAddress client, Optional<HardwareAddress> hardwareAddress,
                        Optional<Node> node, Optional<ClientArchitecture> architecture, Optional<String> userClass) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.client = Objects.requireNonNull(client, "client");
        this.hardwareAddress = Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        this.node = Objects.requireNonNull(node, "node");
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        this.userClass = Objects.requireNonNull(userClass, "userClass");
    }

    /** A client known only by its address, as a TFTP request arrives. */
    public static BootContext of(BootProtocol protocol, InetSocketAddress client) {
        return new BootContext(protocol, client, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** This context, recognised as an inventory node (its MAC comes along). */
    public BootContext withNode(Node known) {
        return new BootContext(protocol, client, Optional.of(known.hardwareAddress()), Optional.of(known),
                architecture.or(known::architecture), userClass);
    }

    public BootContext withHardwareAddress(HardwareAddress mac) {
        return new BootContext(protocol, client, Optional.of(mac), node, architecture, userClass);
    }

    public BootContext withArchitecture(ClientArchitecture announced) {
        return new BootContext(protocol, client, hardwareAddress, node, Optional.of(announced), userClass);
    }

    public BootContext withUserClass(String announced) {
        return new BootContext(protocol, client, hardwareAddress, node, architecture, Optional.of(announced));
    }

    public BootProtocol protocol() {
        return protocol;
    }

    public InetSocketAddress client() {
        return client;
    }

    /** The client's MAC, when the protocol sees it or the node is known. */
    public Optional<HardwareAddress> hardwareAddress() {
        return hardwareAddress;
    }

    /** The inventory node asking, when it is one. */
    public Optional<Node> node() {
        return node;
    }

    /** The architecture announced in DHCP option 93, or fixed for the node. */
    public Optional<ClientArchitecture> architecture() {
        return architecture;
    }

    /** The DHCP user class (option 77), e.g. {@code iPXE}. */
    public Optional<String> userClass() {
        return userClass;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BootContext other && protocol.equals(other.protocol) && client.equals(other.client)
                && hardwareAddress.equals(other.hardwareAddress) && node.equals(other.node)
                && architecture.equals(other.architecture) && userClass.equals(other.userClass);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, client, hardwareAddress, node, architecture, userClass);
    }

    @Override
    public String toString() {
        return "BootContext[protocol=" + protocol + ", client=" + client + ", hardwareAddress=" + hardwareAddress
                + ", node=" + node + ", architecture=" + architecture + ", userClass=" + userClass + "]";
    }
}

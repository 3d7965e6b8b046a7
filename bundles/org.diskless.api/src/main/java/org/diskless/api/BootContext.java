package org.diskless.api;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is asking: the protocol, the client's address and whatever else is known about it. File
 * resolution and boot loaders decide per context, so two nodes may get two different files for
 * the same name.
 */
public record BootContext(
        BootProtocol protocol,
        InetSocketAddress client,
        Optional<HardwareAddress> hardwareAddress,
        Optional<Node> node,
        Optional<ClientArchitecture> architecture,
        Optional<String> userClass) {

    public BootContext {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(userClass, "userClass");
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
}

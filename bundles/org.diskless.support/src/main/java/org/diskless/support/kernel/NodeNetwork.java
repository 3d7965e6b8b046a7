package org.diskless.support.kernel;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

import org.diskless.api.boot.BootContext;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.BootNetworks;
import org.diskless.api.nodes.Node;
import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;

/**
 * The literal {@code ip=} values of a loader that writes them out itself (pxelinux, GRUB): the
 * client's address, and the server, gateway and netmask of the boot network (a DHCP subnet)
 * holding it. When no network holds it, {@code ip=} goes out without them, and the log says why.
 */
public final class NodeNetwork {

    /** A node asks for its config a few times per boot; once a minute per address says it. */
    private static final LogThrottle NO_NETWORK = new LogThrottle(Duration.ofMinutes(1));

    private NodeNetwork() {
    }

    /**
     * @param networks the published boot networks, or null when none are
     * @param what     what is being written, for the log: {@code "pxelinux config"}
     */
    public static NetworkValues values(BootContext context, Node node, BootNetworks networks, Logger log, String what) {
        Optional<Inet4Address> address = clientAddress(context, node);
        return NetworkValues.literal(address, address.flatMap(a -> networkOf(a, node, networks, log, what)));
    }

    /** The address the client asked from is the one it has; a node's fixed address stands in otherwise. */
    public static Optional<Inet4Address> clientAddress(BootContext context, Node node) {
        InetAddress asking = context.client().getAddress();
        if (asking instanceof Inet4Address v4 && !v4.isAnyLocalAddress()) {
            return Optional.of(v4);
        }
        return node.address().filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast);
    }

    /** The boot network holding {@code address}; empty, and logged, when there is none. */
    public static Optional<BootNetwork> networkOf(Inet4Address address, Node node, BootNetworks networks, Logger log,
                                                  String what) {
        if (networks == null) {
            NO_NETWORK.warn(log, what, "{} of node {} ({}): no boot networks are published (the DHCP server"
                    + " publishes its subnets: is it installed and configured?), so ip= has no server, gateway or"
                    + " netmask", what, node.name(), address.getHostAddress());
            return Optional.empty();
        }
        Optional<BootNetwork> network = networks.networkOf(address);
        if (network.isEmpty()) {
            NO_NETWORK.warn(log, what + "/" + address.getHostAddress(), "{} of node {}: no DHCP subnet holds its"
                    + " address {}, so ip= has no server, gateway or netmask; add that network as a subnet"
                    + " (etc/org.diskless.dhcp.subnet-<name>.cfg)", what, node.name(), address.getHostAddress());
        }
        return network;
    }
}

package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.nodes.Node;
import org.diskless.dhcp.codec.DhcpMessage;

/**
 * One request with everything known about its sender: who it is in the node inventory, the
 * subnet it belongs to, and the boot context loaders are asked with.
 *
 * @param id  what names its lease (option 61 or its hardware address, as {@code leaseKey} says)
 * @param pxe whether it announced itself a PXE or HTTP boot client (option 60 or 93)
 */
record DhcpClient(DhcpMessage request, InetSocketAddress sender, HardwareAddress mac, String id,
                  Optional<Node> node, Optional<Subnet> subnet, BootContext context, boolean pxe) {

    /** Whether the client asked for option {@code code}, or asked for nothing in particular. */
    boolean asked(int code) {
        List<Integer> wanted = request.options().parameterRequestList();
        return wanted.isEmpty() || wanted.contains(code);
    }

    /** A client that names no architecture is a BIOS PXE ROM older than RFC 4578. */
    boolean isBios() {
        return context.architecture().map(a -> a.code() == ClientArchitecture.BIOS.code()).orElse(true);
    }

    /** The node's fixed address, when it has one on the subnet the request came from. */
    Optional<Inet4Address> fixedAddress() {
        if (node.isEmpty() || subnet.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetAddress> address = node.get().address();
        return address.isPresent() && address.get() instanceof Inet4Address fixed && subnet.get().contains(fixed)
                ? Optional.of(fixed) : Optional.empty();
    }

    /** What a boot event says about the request: architecture, user class, relay. */
    String describe() {
        StringBuilder text = new StringBuilder();
        context.architecture().ifPresent(a -> text.append(" arch ").append(a.code()));
        context.userClass().ifPresent(u -> text.append(" user class ").append(u));
        if (request.isRelayed()) {
            text.append(" via ").append(request.giaddr().getHostAddress());
        }
        return text.toString();
    }
}

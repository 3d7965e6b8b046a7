package org.diskless.api.network;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The networks this server boots nodes on, as the DHCP server is configured. Loaders read it to
 * write a node's {@code ip=} and server URLs instead of carrying a copy of the subnets.
 */
@ProviderType
public interface BootNetworks {

    /** Every configured network, in name order. */
    List<BootNetwork> networks();

    /** The network an address belongs to (the longest prefix wins), if any. */
    default Optional<BootNetwork> networkOf(InetAddress address) {
        return networks().stream().filter(n -> n.contains(address))
                .max((a, b) -> Integer.compare(a.prefixLength(), b.prefixLength()));
    }
}

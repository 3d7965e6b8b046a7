package org.diskless.api.nodes;

import java.net.InetAddress;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node inventory. Protocols look nodes up by what they see on the wire; changes are announced
 * to {@link NodeListener} services.
 */
@ProviderType
public interface NodeDirectory {

    Optional<Node> byHardwareAddress(HardwareAddress address);

    Optional<Node> byUuid(UUID uuid);

    Optional<Node> byAddress(InetAddress address);

    Optional<Node> byName(String name);

    /** Every node, in name order. */
    Collection<Node> nodes();
}

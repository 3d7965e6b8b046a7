package org.diskless.support.context;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;

/**
 * Who a client that is known only by its IP address is — a TFTP, MTFTP or HTTP request — so that
 * every protocol resolves files for it as the same node: the inventory node whose fixed address it
 * is; else the node (or at least the MAC) that holds an active lease on it. Either service may be
 * missing (its feature not installed); the client is then a stranger known by its address.
 * Called on file-work threads: both services answer from memory.
 */
public final class ClientContexts {

    private final Supplier<Optional<NodeDirectory>> nodes;
    private final Supplier<Optional<LeaseStore>> leases;
    private final Clock clock;

    public ClientContexts(Supplier<Optional<NodeDirectory>> nodes, Supplier<Optional<LeaseStore>> leases,
                          Clock clock) {
        this.nodes = nodes;
        this.leases = leases;
        this.clock = clock;
    }

    public BootContext contextOf(BootProtocol protocol, InetSocketAddress client) {
        BootContext context = BootContext.of(protocol, client);
        Optional<NodeDirectory> directory = nodes.get();
        Optional<Node> fixed = directory.flatMap(d -> d.byAddress(client.getAddress()));
        if (fixed.isPresent()) {
            return context.withNode(fixed.get());
        }
        Optional<Lease> lease = activeLease(client);
        if (lease.isEmpty()) {
            return context;
        }
        return directory.flatMap(d -> d.byHardwareAddress(lease.get().hardwareAddress()))
                .map(context::withNode)
                .orElseGet(() -> context.withHardwareAddress(lease.get().hardwareAddress()));
    }

    private Optional<Lease> activeLease(InetSocketAddress client) {
        if (!(client.getAddress() instanceof Inet4Address address)) {
            return Optional.empty();
        }
        return leases.get().flatMap(store -> store.byAddress(address)).filter(l -> l.isActiveAt(clock.instant()));
    }
}

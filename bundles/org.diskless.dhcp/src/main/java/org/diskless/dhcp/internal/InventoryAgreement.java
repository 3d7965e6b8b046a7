package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when the shared lease store shows that another server sees a node differently from this
 * one: servers sharing the clients must share the node inventory too, or a node gets one address
 * from one server and another from the next. Only nodes with a fixed address here are checked: no
 * server records a lease for a fixed address, so any live lease of theirs, or on their address,
 * was written by a server whose inventory says otherwise. Once an hour per node at most.
 */
final class InventoryAgreement {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryAgreement.class);

    private final LogThrottle throttle = new LogThrottle(Duration.ofHours(1));

    void check(DhcpClient client, LeaseStore store, Instant now) {
        Optional<Inet4Address> fixed = client.fixedAddress();
        if (fixed.isEmpty()) {
            return;
        }
        String node = client.node().map(n -> n.name()).orElse("?");
        Optional<Lease> ownLease = store.byClientId(client.id()).filter(l -> l.isActiveAt(now));
        if (ownLease.isPresent() && !ownLease.get().address().equals(fixed.get())) {
            throttle.warn(LOG, "lease:" + client.mac(), "Node {} ({}) has the fixed address {} in this server's"
                    + " inventory, but the shared lease store holds {} for it until {}, leased by a server whose"
                    + " inventory does not give it {}: give every server the same etc/org.diskless.node-*.cfg"
                    + " (nodes:list on each shows what it has)", node, client.mac(), fixed.get().getHostAddress(),
                    ownLease.get().address().getHostAddress(), ownLease.get().expires(), fixed.get().getHostAddress());
        }
        Optional<Lease> onFixed = store.byAddress(fixed.get())
                .filter(l -> l.isActiveAt(now) && !l.clientId().equals(client.id()));
        if (onFixed.isPresent()) {
            throttle.warn(LOG, "address:" + fixed.get().getHostAddress(), "{} is the fixed address of node {} ({}) in"
                    + " this server's inventory, but the shared lease store has it leased to {} until {}: another"
                    + " server hands it out from its pool. Give every server the same etc/org.diskless.node-*.cfg;"
                    + " until then two machines may use {}", fixed.get().getHostAddress(), node, client.mac(),
                    onFixed.get().hardwareAddress(), onFixed.get().expires(), fixed.get().getHostAddress());
        }
    }
}

package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;

/**
 * Which requests this server answers when it shares the clients with peers (RFC 3074). A
 * DISCOVER, an INIT-REBOOT or REBINDING REQUEST and a broadcast INFORM are answered by the server
 * whose buckets hold the client's hash; another server answers them too once the client's
 * {@code secs} field shows it has waited {@code peers.takeoverSeconds}, and at once when the
 * owner is known to be down (its buckets are then ours or another survivor's). A request the
 * client addressed to one server is that server's: a REQUEST naming a server identifier (SELECTING,
 * answered or ignored by the server it names), a unicast RENEWING REQUEST or INFORM, a DECLINE or
 * a RELEASE.
 */
final class LoadBalancer {

    /** Why a request is ours, or whose it is. */
    enum Verdict {
        /** No peers, or addressed to one server, or in our buckets: answered as by a server alone. */
        OURS(true),
        /** In the buckets of a peer that is down, which are ours until it returns. */
        PEER_DOWN(true),
        /** In a peer's buckets, but the client has waited {@code peers.takeoverSeconds}. */
        TAKEN_OVER(true),
        /** In the buckets of a peer that is up: left to it. */
        PEERS(false);

        private final boolean answered;

        Verdict(boolean answered) {
            this.answered = answered;
        }

        boolean answered() {
            return answered;
        }
    }

    private final PeerSettings settings;
    private final Supplier<Set<Inet4Address>> down;
    private BucketMap cached;
    private Inet4Address cachedSelf;
    private Set<Inet4Address> cachedDown = Set.of();

    /**
     * @param down the peers known to be down now (from their heartbeats), asked per decision
     */
    LoadBalancer(PeerSettings settings, Supplier<Set<Inet4Address>> down) {
        this.settings = settings;
        this.down = down;
    }

    PeerSettings settings() {
        return settings;
    }

    /**
     * @param self        our address as this client sees it (the server identifier we answer it
     *                    with); empty when we have none, and then we answer everyone
     * @param toBroadcast whether the request came to a broadcast address rather than to us
     */
    Verdict decide(DhcpMessage request, DhcpMessageType type, Optional<Inet4Address> self, boolean toBroadcast) {
        if (self.isEmpty() || !bucketsDecide(type, request.options().serverIdentifier().isPresent(),
                !Addresses.isAny(request.ciaddr()), request.isRelayed(), toBroadcast)) {
            return Verdict.OURS;
        }
        return decide(ClientHash.bucket(request), request.secs(), self.get());
    }

    /**
     * Whether the buckets decide who answers a request: not when we have no peers, nor when the
     * client addressed it to one server (then that server answers it, as a server alone would).
     *
     * @param namesServer whether the request carries a server identifier (option 54)
     * @param hasCiaddr   whether its ciaddr is not 0.0.0.0
     * @param relayed     whether its giaddr is not 0.0.0.0
     */
    boolean bucketsDecide(DhcpMessageType type, boolean namesServer, boolean hasCiaddr, boolean relayed,
                          boolean toBroadcast) {
        if (settings.alone()) {
            return false;
        }
        // A relay unicasts what the client broadcast, to every server it knows: not the client's choice.
        boolean fromClientToUs = !toBroadcast && !relayed;
        boolean addressedToOneServer = switch (type) {
            case DECLINE, RELEASE -> true;
            // SELECTING names the server; RENEWING is unicast to the server that leased.
            case REQUEST -> namesServer || (fromClientToUs && hasCiaddr);
            case INFORM -> fromClientToUs;
            default -> false;
        };
        return !addressedToOneServer;
    }

    /**
     * Who answers the client of {@code bucket} that has waited {@code secs}, once
     * {@link #bucketsDecide} said the buckets decide.
     */
    Verdict decide(int bucket, int secs, Inet4Address self) {
        BucketMap map = map(self);
        Inet4Address owner = map.owner(bucket);
        if (owner.equals(self)) {
            return map.assignedOwner(bucket).equals(self) ? Verdict.OURS : Verdict.PEER_DOWN;
        }
        return secs >= settings.takeoverSeconds() ? Verdict.TAKEN_OVER : Verdict.PEERS;
    }

    /**
     * The part of each pool this server offers from first: alone, the whole pool; with peers, the
     * one whose place among the shares is ours among the servers sorted as for the buckets. Fixed
     * whether peers are up or down: a survivor takes a missing peer's addresses only once its own
     * share is full, so that the peer finds its share as it left it when it returns.
     */
    Share share(Optional<Inet4Address> self) {
        if (settings.alone() || self.isEmpty()) {
            return Share.WHOLE;
        }
        List<Inet4Address> servers = map(self.get()).servers();
        return new Share(servers.indexOf(self.get()), servers.size());
    }

    /** The bucket map with us among the servers, and the peers' liveness as it is now. */
    BucketMap map(Inet4Address self) {
        Set<Inet4Address> nowDown = down.get();
        if (cached == null || !self.equals(cachedSelf) || !nowDown.equals(cachedDown)) {
            List<Inet4Address> servers = new ArrayList<>(settings.addresses());
            servers.add(self);
            cached = new BucketMap(servers, nowDown);
            cachedSelf = self;
            cachedDown = Set.copyOf(nowDown);
        }
        return cached;
    }
}

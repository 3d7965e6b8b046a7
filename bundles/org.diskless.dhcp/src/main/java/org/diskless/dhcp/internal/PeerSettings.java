package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * The other Diskless servers on this segment that share the lease store with us, and share the
 * clients with us by RFC 3074 load balancing ({@code peers}, {@code peers.*} in
 * {@code etc/org.diskless.dhcp.cfg}).
 *
 * @param addresses       each peer's address as it serves DHCP (its server identifier); empty for a
 *                        server alone, which answers every client
 * @param takeoverSeconds a client hashed to a peer is answered by us once its {@code secs} field
 *                        reaches this: the peer did not answer it in that time (RFC 3074 section 3)
 * @param heartbeatPort   the UDP port servers tell each other they are alive on
 */
record PeerSettings(List<Inet4Address> addresses, int takeoverSeconds, int heartbeatPort) {

    static final int DEFAULT_TAKEOVER_SECONDS = 3;
    /** IANA's port for the DHCP failover protocol: the one firewalls already open between DHCP servers. */
    static final int DEFAULT_HEARTBEAT_PORT = 647;
    /** RFC 3074 hashes into 256 buckets; more servers than that would leave some with none. */
    static final int MAX_PEERS = 31;

    static final PeerSettings ALONE = new PeerSettings(List.of(), DEFAULT_TAKEOVER_SECONDS, DEFAULT_HEARTBEAT_PORT);

    PeerSettings {
        addresses = List.copyOf(addresses);
    }

    static PeerSettings parse(Config config) throws InvalidSettingException {
        List<Inet4Address> addresses = config.ipv4List("peers");
        List<Inet4Address> distinct = new ArrayList<>();
        for (Inet4Address address : addresses) {
            if (Addresses.isAny(address) || Addresses.BROADCAST.equals(address)) {
                throw new InvalidSettingException("peers", address.getHostAddress(), "name each other Diskless"
                        + " server by the address it serves DHCP from");
            }
            if (distinct.contains(address)) {
                throw new InvalidSettingException("peers", address.getHostAddress(), "is listed twice");
            }
            distinct.add(address);
        }
        if (distinct.size() > MAX_PEERS) {
            throw new InvalidSettingException("peers", distinct.size() + " addresses", "at most " + MAX_PEERS
                    + " other servers share the clients");
        }
        return new PeerSettings(distinct, config.integer("peers.takeoverSeconds", DEFAULT_TAKEOVER_SECONDS, 0, 0xFFFF),
                config.integer("peers.port", DEFAULT_HEARTBEAT_PORT, 1, 65535));
    }

    boolean alone() {
        return addresses.isEmpty();
    }
}

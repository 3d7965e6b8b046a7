package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.network.PoolUsage;

/** What the shell commands show of the running DHCP server. */
public interface DhcpMonitor {

    /** One held address: leased, being committed, offered or declined. */
    record LeaseView(String address, String hardwareAddress, String clientId, String state, Instant expires,
                     Optional<String> node) {
    }

    /** The states a {@link LeaseView} can be in, as it names them. */
    List<String> LEASE_STATES = Arrays.stream(Binding.State.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
            .toList();

    /**
     * One server sharing the clients (RFC 3074): ourselves or a peer, whether it is up (we are),
     * when its last heartbeat came, and the buckets it answers now.
     */
    record PeerView(String address, boolean self, boolean up, Optional<Instant> lastSeen, String buckets,
                    int bucketCount) {
    }

    /** This server and its peers, ours first; empty when it has none ({@code peers} unset). */
    List<PeerView> peers();

    List<LeaseView> leases();

    /** Each subnet's pool and how it is used, as {@link org.diskless.api.network.AddressPools} publishes it. */
    List<PoolUsage> pools();

    /**
     * Ends the quarantine of declined addresses, {@code address} or every one when empty, and
     * records that durably. Returns the addresses freed.
     */
    List<LeaseView> clearDeclines(Optional<Inet4Address> address);

    /**
     * One counter since the server started: what was counted ({@code received}, {@code sent} or
     * {@code dropped}), of what (a message type, a drop reason), how many, and for drops what
     * the reason means.
     */
    record CounterView(String counted, String name, long count, String meaning) {
    }

    List<CounterView> counterViews();

    Optional<InetSocketAddress> listeningOn();

    /** Where the PXE boot server (proxyPort, 4011) listens; empty when it is off or could not bind. */
    Optional<InetSocketAddress> bootServerListeningOn();

    /**
     * Which first file the client with {@code mac} would be named now, and why: each rule of the
     * choice consulted, one line each, then the answer. The architecture and user class are the
     * ones given, else the node's recorded architecture, else BIOS (as DHCP takes a client that
     * announces none).
     */
    List<String> explain(HardwareAddress mac, Optional<ClientArchitecture> architecture, Optional<String> userClass);

    String mode();

    /** The socket layer: epoll, or NIO and why epoll is not available. */
    String transport();
}

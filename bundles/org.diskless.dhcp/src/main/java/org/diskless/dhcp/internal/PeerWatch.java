package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each peer is alive, from the heartbeats the servers send each other: every second a
 * datagram to each peer on {@code peers.port} saying who we are and which servers we share the
 * clients with. A peer not heard for {@link #DOWN_AFTER} is down, whatever stopped it (a kill -9
 * sends no goodbye, a dead host nothing at all); its buckets are then served by the survivors, and
 * go back to it with its first heartbeat.
 *
 * <p>A heartbeat rather than a row in the shared database: it needs nothing but the network the
 * clients are on, so it says what matters (the peer can answer on this segment), and keeps the
 * DHCP bundle on the {@code LeaseStore} API alone. A heartbeat naming another set of servers than
 * ours means the two compute different bucket maps (some clients get two answers, some none for
 * {@code peers.takeoverSeconds}); that is logged, naming both lists.
 *
 * <p>What arrives is checked: only datagrams from a configured peer's address count, and a text
 * longer than {@link #MAX_HEARTBEAT} bytes or not of our form is dropped and logged at most once a
 * minute. Thread-safe: datagrams arrive on the DHCP event loop, decisions read from it too, and
 * the shell reads from its own thread.
 */
final class PeerWatch {

    private static final Logger LOG = LoggerFactory.getLogger(PeerWatch.class);

    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Three heartbeats missed: one lost datagram or a GC pause does not move the buckets. */
    static final Duration DOWN_AFTER = Duration.ofSeconds(3);
    static final int MAX_HEARTBEAT = 512;
    private static final String MAGIC = "diskless-peer";
    private static final int VERSION = 1;

    /** What the shell shows of one peer. */
    record PeerState(Inet4Address address, boolean up, Optional<Instant> lastSeen, List<Inet4Address> theirServers) {
    }

    private record Heard(Instant at, List<Inet4Address> servers) {
    }

    private final PeerSettings settings;
    private final Supplier<Instant> clock;
    private final Instant started;
    private final Map<Inet4Address, Heard> heard = new ConcurrentHashMap<>();
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final Set<Inet4Address> reportedDown = ConcurrentHashMap.newKeySet();

    PeerWatch(PeerSettings settings, Supplier<Instant> clock) {
        this.settings = settings;
        this.clock = clock;
        this.started = clock.get();
    }

    PeerSettings settings() {
        return settings;
    }

    /** The heartbeat we send: who we are and every server we share the clients with, sorted. */
    byte[] heartbeat(Inet4Address self) {
        StringBuilder text = new StringBuilder(MAGIC).append(' ').append(VERSION).append(' ')
                .append(self.getHostAddress()).append(' ');
        List<Inet4Address> servers = servers(self);
        for (int i = 0; i < servers.size(); i++) {
            text.append(i == 0 ? "" : ",").append(servers.get(i).getHostAddress());
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Takes a datagram that arrived on {@code peers.port}. */
    void received(InetSocketAddress sender, byte[] datagram, Optional<Inet4Address> self) {
        if (!(sender.getAddress() instanceof Inet4Address from) || !settings.addresses().contains(from)) {
            throttle.warn(LOG, "stranger", "Ignored a heartbeat from {}, which is not in peers (etc/org.diskless"
                    + ".dhcp.cfg): list it there on every server if it is one of ours", sender.getAddress());
            return;
        }
        Optional<List<Inet4Address>> servers = parse(datagram);
        if (servers.isEmpty()) {
            throttle.warn(LOG, "malformed:" + from.getHostAddress(), "Ignored a heartbeat from {} that is not one of"
                    + " ours: {}", from.getHostAddress(), Printable.of(new String(datagram, 0,
                    Math.min(datagram.length, MAX_HEARTBEAT), StandardCharsets.US_ASCII), 80));
            return;
        }
        Heard previous = heard.put(from, new Heard(clock.get(), servers.get()));
        if (reportedDown.remove(from) || previous == null) {
            LOG.info("DHCP peer {} is up: its RFC 3074 buckets are its own", from.getHostAddress());
        }
        if (self.isPresent() && !servers.get().equals(servers(self.get()))) {
            throttle.warn(LOG, "disagree:" + from.getHostAddress(), "DHCP peer {} shares the clients among {}, this"
                    + " server among {}: the two split the buckets differently, so some clients get two answers and"
                    + " some wait peers.takeoverSeconds. Make peers in etc/org.diskless.dhcp.cfg list every other"
                    + " server on each of them", from.getHostAddress(), format(servers.get()), format(servers(self.get())));
        }
    }

    /** The peers not heard for {@link #DOWN_AFTER}; none during the first {@link #DOWN_AFTER} after we start. */
    Set<Inet4Address> down() {
        Instant now = clock.get();
        Set<Inet4Address> down = new HashSet<>();
        if (now.isBefore(started.plus(DOWN_AFTER))) {
            return down;
        }
        for (Inet4Address peer : settings.addresses()) {
            Heard last = heard.get(peer);
            if (last == null || !now.isBefore(last.at().plus(DOWN_AFTER))) {
                down.add(peer);
                if (reportedDown.add(peer)) {
                    LOG.warn("DHCP peer {} is down (no heartbeat on UDP port {} for {} s): this server and the other"
                            + " survivors answer its clients", peer.getHostAddress(), settings.heartbeatPort(),
                            DOWN_AFTER.toSeconds());
                }
            }
        }
        return down;
    }

    List<PeerState> states() {
        Set<Inet4Address> down = down();
        List<PeerState> states = new ArrayList<>();
        for (Inet4Address peer : settings.addresses()) {
            Optional<Heard> last = Optional.ofNullable(heard.get(peer));
            states.add(new PeerState(peer, !down.contains(peer), last.map(Heard::at),
                    last.map(Heard::servers).orElse(List.of())));
        }
        return states;
    }

    private List<Inet4Address> servers(Inet4Address self) {
        List<Inet4Address> servers = new ArrayList<>(settings.addresses());
        servers.add(self);
        return new BucketMap(servers, Set.of()).servers();
    }

    /** {@code diskless-peer 1 <sender> <server>,<server>,...}; empty when it is not that. */
    static Optional<List<Inet4Address>> parse(byte[] datagram) {
        if (datagram.length > MAX_HEARTBEAT) {
            return Optional.empty();
        }
        String[] words = new String(datagram, StandardCharsets.US_ASCII).trim().split(" ");
        if (words.length != 4 || !words[0].equals(MAGIC) || !words[1].equals(String.valueOf(VERSION))) {
            return Optional.empty();
        }
        List<Inet4Address> servers = new ArrayList<>();
        for (String text : words[3].split(",")) {
            try {
                servers.add(Addresses.parse(text));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new BucketMap(servers, Set.of()).servers());
    }

    private static String format(List<Inet4Address> servers) {
        return servers.stream().map(Inet4Address::getHostAddress).toList().toString();
    }
}

package org.diskless.dhcp.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.diskless.api.stats.DurationHistogram;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.support.stats.DurationRecorder;

/** Counters since the bundle started, for {@code dhcp:stats}; updated from any thread. */
final class DhcpStatistics {

    /** Why a datagram got no answer. */
    enum Drop {
        MALFORMED("malformed (cannot be decoded)"),
        NOT_A_REQUEST("not a client request (op, type or hardware address)"),
        BOOTP("BOOTP request not answered here (bootp = off, proxy mode, or the PXE port)"),
        BOOTP_NO_FIXED_ADDRESS("BOOTP request from a node without a fixed address on its subnet"),
        UNKNOWN_CLIENT("unknown client refused (unknownClients = deny; BOOTP: always)"),
        NO_SUBNET("no configured subnet for the client's network"),
        POOL_EXHAUSTED("no free address in the pool"),
        OTHER_SERVER("client chose another server"),
        PEER_BUCKET("client hashes to a peer's buckets (RFC 3074), which is up and has had less than"
                + " peers.takeoverSeconds to answer"),
        NOT_PXE("not a PXE client (proxy mode answers only those)"),
        NO_BOOT_FILE("no boot file for the client (proxy mode)"),
        NO_LEASE_STORE("server mode without a lease store running"),
        LEASE_WRITE_FAILED("lease could not be made durable"),
        SUPERSEDED("lease durable after the client moved on (later request or failed retry)"),
        IGNORED("request not for us (unknown lease, not authoritative)"),
        DECLINE_REFUSED("DECLINE of an address not leased to the client, or beyond its quarantine limit"),
        SEND_FAILED("reply could not be encoded or sent"),
        INTERNAL_ERROR("server error while answering (see the log)"),
        NOT_READY("arrived while the server was starting");

        final String description;

        Drop(String description) {
            this.description = description;
        }

        /** How dhcp:stats names it: {@code unknown-client}. */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Map<DhcpMessageType, LongAdder> received = counters(DhcpMessageType.class);
    private final Map<DhcpMessageType, LongAdder> sent = counters(DhcpMessageType.class);
    private final Map<Drop, LongAdder> dropped = counters(Drop.class);
    private final LongAdder bootpReceived = new LongAdder();
    private final LongAdder bootpSent = new LongAdder();
    /** From asking the lease store to commit an ACK's lease to its answer that the lease is durable. */
    private final DurationRecorder leaseCommits = new DurationRecorder(Stream.of(
            0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0)
            .map(ms -> Duration.ofNanos((long) (ms * 1_000_000))).toList());

    private static <K extends Enum<K>> Map<K, LongAdder> counters(Class<K> type) {
        Map<K, LongAdder> map = new EnumMap<>(type);
        for (K key : type.getEnumConstants()) {
            map.put(key, new LongAdder());
        }
        return map;
    }

    void received(DhcpMessageType type) {
        received.get(type).increment();
    }

    void sent(DhcpMessageType type) {
        sent.get(type).increment();
    }

    void dropped(Drop why) {
        dropped.get(why).increment();
    }

    /** A lease the store said is durable, {@code took} after it was asked to commit it. */
    void leaseCommitted(Duration took) {
        leaseCommits.record(took);
    }

    /** The durations {@code ProtocolStatistics} publishes: {@code lease_commits}. */
    Map<String, DurationHistogram> durations() {
        return Map.of("lease_commits", leaseCommits.snapshot());
    }

    /** A BOOTREQUEST without a DHCP message type (RFC 951). */
    void receivedBootp() {
        bootpReceived.increment();
    }

    /** A BOOTREPLY to one. */
    void sentBootp() {
        bootpSent.increment();
    }

    /**
     * Every counter under its stable name ({@code received_discover}, {@code sent_offer},
     * {@code received_bootp}, {@code dropped_unknown_client}), in that order: what
     * {@code ProtocolStatistics} publishes.
     */
    Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (DhcpMessageType type : DhcpMessageType.values()) {
            String name = type.name().toLowerCase(Locale.ROOT);
            if (type.fromClient()) {
                counters.put("received_" + name, received.get(type).sum());
            } else {
                counters.put("sent_" + name, sent.get(type).sum());
            }
        }
        counters.put("received_bootp", bootpReceived.sum());
        counters.put("sent_bootp", bootpSent.sum());
        for (Drop drop : Drop.values()) {
            counters.put("dropped_" + drop.name().toLowerCase(Locale.ROOT), dropped.get(drop).sum());
        }
        return Collections.unmodifiableMap(counters);
    }

    Snapshot snapshot() {
        Map<DhcpMessageType, Long> in = new EnumMap<>(DhcpMessageType.class);
        received.forEach((k, v) -> in.put(k, v.sum()));
        Map<DhcpMessageType, Long> out = new EnumMap<>(DhcpMessageType.class);
        sent.forEach((k, v) -> out.put(k, v.sum()));
        Map<Drop, Long> drops = new EnumMap<>(Drop.class);
        dropped.forEach((k, v) -> drops.put(k, v.sum()));
        return new Snapshot(in, out, bootpReceived.sum(), bootpSent.sum(), drops);
    }

    /** The counters at one moment. */
    record Snapshot(Map<DhcpMessageType, Long> received, Map<DhcpMessageType, Long> sent, long bootpReceived,
                    long bootpSent, Map<Drop, Long> dropped) {
        Snapshot {
            received = Map.copyOf(received);
            sent = Map.copyOf(sent);
            dropped = Map.copyOf(dropped);
        }

        long dropped(Drop why) {
            return dropped.getOrDefault(why, 0L);
        }
    }
}

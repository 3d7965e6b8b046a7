package org.diskless.leases.internal;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.diskless.api.leases.Lease;

/**
 * The current leases in memory: one per address, and per client the leases it holds. Changed by
 * one thread only (the journal writer, or recovery before the store opens), read by any.
 *
 * <p>Each lease carries the order in which it was committed, so {@link #byClientId} can pick the
 * newest and a snapshot written in that order rebuilds exactly the same index when replayed.
 */
final class LeaseIndex {

    private record Entry(Lease lease, long sequence) {
    }

    private static final Comparator<Entry> COMMIT_ORDER = Comparator.comparingLong(Entry::sequence);

    private final Map<Inet4Address, Entry> byAddress = new ConcurrentHashMap<>();
    /** Per client, the entries it holds; a list per client because it is nearly always one. */
    private final Map<String, List<Entry>> byClient = new ConcurrentHashMap<>();
    private long nextSequence;
    /** Bytes a snapshot of the live leases takes, kept to decide when compaction pays off. */
    private long liveBytes;
    /**
     * No live lease expires before this (a lower bound: leases replaced since do not raise it), so
     * a purge that could find nothing skips the scan. The scan runs on the writer while commits
     * wait, and with a lease time far below the retention it would find nothing at every compaction.
     */
    private Instant earliestExpiry = Instant.MAX;

    /** Makes {@code lease} the current lease of its address; the one it replaces is forgotten. */
    void apply(Lease lease) {
        Entry entry = new Entry(lease, nextSequence++);
        Entry previous = byAddress.put(lease.address(), entry);
        if (previous != null) {
            forgetForClient(previous);
            liveBytes -= LeaseRecords.recordSize(previous.lease());
        }
        byClient.compute(lease.clientId(), (client, held) -> {
            List<Entry> next = held == null ? new ArrayList<>(1) : new ArrayList<>(held);
            next.add(entry);
            return List.copyOf(next);
        });
        liveBytes += LeaseRecords.recordSize(lease);
        if (lease.expires().isBefore(earliestExpiry)) {
            earliestExpiry = lease.expires();
        }
    }

    /** Forgets every lease that expired before {@code cutoff}; returns how many. */
    int purgeExpiredBefore(Instant cutoff) {
        if (!earliestExpiry.isBefore(cutoff)) {
            return 0;
        }
        List<Entry> expired = new ArrayList<>();
        Instant earliestKept = Instant.MAX;
        for (Entry entry : byAddress.values()) {
            Instant expires = entry.lease().expires();
            if (expires.isBefore(cutoff)) {
                expired.add(entry);
            } else if (expires.isBefore(earliestKept)) {
                earliestKept = expires;
            }
        }
        earliestExpiry = earliestKept;
        for (Entry entry : expired) {
            if (byAddress.remove(entry.lease().address(), entry)) {
                forgetForClient(entry);
                liveBytes -= LeaseRecords.recordSize(entry.lease());
            }
        }
        return expired.size();
    }

    private void forgetForClient(Entry entry) {
        byClient.computeIfPresent(entry.lease().clientId(), (client, held) -> {
            List<Entry> rest = held.stream().filter(e -> e != entry).toList();
            return rest.isEmpty() ? null : rest;
        });
    }

    Optional<Lease> byAddress(Inet4Address address) {
        Entry entry = byAddress.get(address);
        return entry == null ? Optional.empty() : Optional.of(entry.lease());
    }

    Optional<Lease> byClientId(String clientId) {
        List<Entry> held = byClient.get(clientId);
        return held == null ? Optional.empty() : held.stream().max(COMMIT_ORDER).map(Entry::lease);
    }

    List<Lease> leases() {
        return byAddress.values().stream().map(Entry::lease).toList();
    }

    /** The current leases in the order they were committed: replaying them rebuilds this index. */
    List<Lease> inCommitOrder() {
        return snapshot().inCommitOrder();
    }

    /**
     * The current leases as they are now, to be put in commit order later on any thread: taking
     * them is a copy, ordering them is a sort, and only the copy has to be done by the writer.
     */
    Snapshot snapshot() {
        return new Snapshot(List.copyOf(byAddress.values()));
    }

    /** Leases taken from the index at one moment; see {@link #snapshot()}. */
    static final class Snapshot {
        private final List<Entry> entries;

        private Snapshot(List<Entry> entries) {
            this.entries = entries;
        }

        int size() {
            return entries.size();
        }

        List<Lease> inCommitOrder() {
            return entries.stream().sorted(COMMIT_ORDER).map(Entry::lease).toList();
        }
    }

    int size() {
        return byAddress.size();
    }

    long liveBytes() {
        return liveBytes;
    }
}

package org.diskless.leases.postgresql.internal;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.diskless.api.leases.Lease;

/**
 * What this server knows of the database's leases, so that the reads the DHCP server makes per
 * packet need no round trip. Fed by the store's own commits and by every server's changes as
 * PostgreSQL notifies them; each row carries the version the database gave it, and a change older
 * than the one held is ignored, so the order in which the two feeds arrive does not matter.
 */
final class LeaseCache {

    record Entry(Lease lease, long version) {
    }

    private static final Comparator<Entry> NEWEST = Comparator.comparingLong(Entry::version);

    private final Map<Inet4Address, Entry> byAddress = new ConcurrentHashMap<>();
    /** Per client, the addresses it holds; nearly always one. */
    private final Map<String, List<Entry>> byClient = new ConcurrentHashMap<>();

    /** Makes {@code lease} the row of its address unless a newer version is already held. */
    synchronized void put(Lease lease, long version) {
        Entry previous = byAddress.get(lease.address());
        if (previous != null && previous.version() >= version) {
            return;
        }
        Entry entry = new Entry(lease, version);
        byAddress.put(lease.address(), entry);
        if (previous != null) {
            forgetForClient(previous);
        }
        holdFor(entry);
    }

    /** Forgets the row of {@code address} if the one held is not newer than the deleted one. */
    synchronized void remove(Inet4Address address, long version) {
        Entry held = byAddress.get(address);
        if (held != null && held.version() <= version) {
            byAddress.remove(address);
            forgetForClient(held);
        }
    }

    /** Replaces everything with a fresh read of the whole table (after a reconnection). */
    synchronized void replaceAll(Collection<Entry> rows) {
        Map<Inet4Address, Entry> fresh = new HashMap<>();
        for (Entry row : rows) {
            fresh.merge(row.lease().address(), row, (a, b) -> a.version() >= b.version() ? a : b);
        }
        byAddress.keySet().retainAll(fresh.keySet());
        byAddress.putAll(fresh);
        byClient.clear();
        for (Entry entry : fresh.values()) {
            holdFor(entry);
        }
    }

    private void holdFor(Entry entry) {
        byClient.merge(entry.lease().clientId(), List.of(entry), (held, added) -> {
            List<Entry> next = new ArrayList<>(held);
            next.addAll(added);
            return List.copyOf(next);
        });
    }

    private void forgetForClient(Entry entry) {
        byClient.computeIfPresent(entry.lease().clientId(), (client, held) -> {
            List<Entry> rest = held.stream().filter(e -> e != entry).toList();
            return rest.isEmpty() ? null : rest;
        });
    }

    Optional<Entry> entry(Inet4Address address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    Optional<Lease> byAddress(Inet4Address address) {
        return entry(address).map(Entry::lease);
    }

    /** The lease the client was given last, as the journal answers it. */
    Optional<Lease> byClientId(String clientId) {
        List<Entry> held = byClient.get(clientId);
        return held == null ? Optional.empty() : held.stream().max(NEWEST).map(Entry::lease);
    }

    List<Lease> leases() {
        return byAddress.values().stream().map(Entry::lease).toList();
    }

    int size() {
        return byAddress.size();
    }
}

package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which server answers each of the 256 RFC 3074 buckets (the Hash Bucket Assignment). Computed,
 * never configured, so every server that lists the same servers computes the same map: the
 * servers sorted by address split the buckets into contiguous runs of (nearly) equal size; the
 * buckets of a server that is down are dealt out in turn to the servers that are up, and go back
 * to it when it returns.
 */
final class BucketMap {

    private static final Comparator<Inet4Address> BY_ADDRESS =
            Comparator.comparingLong(a -> Integer.toUnsignedLong(Addresses.toInt(a)));

    private final List<Inet4Address> servers;
    private final Inet4Address[] owners = new Inet4Address[ClientHash.BUCKETS];
    private final Inet4Address[] assigned = new Inet4Address[ClientHash.BUCKETS];

    /**
     * @param servers every server, ourselves included, in any order
     * @param down    the servers known to be down; when all are down the buckets stay where they are
     */
    BucketMap(Iterable<Inet4Address> servers, Set<Inet4Address> down) {
        List<Inet4Address> sorted = new ArrayList<>();
        servers.forEach(s -> {
            if (!sorted.contains(s)) {
                sorted.add(s);
            }
        });
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("no server to assign buckets to");
        }
        sorted.sort(BY_ADDRESS);
        this.servers = List.copyOf(sorted);
        List<Inet4Address> up = sorted.stream().filter(s -> !down.contains(s)).toList();
        int n = sorted.size();
        int dealt = 0;
        for (int bucket = 0; bucket < ClientHash.BUCKETS; bucket++) {
            Inet4Address owner = sorted.get(bucket * n / ClientHash.BUCKETS);
            assigned[bucket] = owner;
            owners[bucket] = up.isEmpty() || up.contains(owner) ? owner : up.get(dealt++ % up.size());
        }
    }

    /** The servers, sorted by address. */
    List<Inet4Address> servers() {
        return servers;
    }

    /** Who answers this bucket now. */
    Inet4Address owner(int bucket) {
        return owners[bucket];
    }

    /** Whose bucket it is when every server is up. */
    Inet4Address assignedOwner(int bucket) {
        return assigned[bucket];
    }

    /** The buckets {@code server} answers now. */
    List<Integer> bucketsOf(Inet4Address server) {
        List<Integer> buckets = new ArrayList<>();
        for (int bucket = 0; bucket < ClientHash.BUCKETS; bucket++) {
            if (owners[bucket].equals(server)) {
                buckets.add(bucket);
            }
        }
        return buckets;
    }

    /** Buckets as ranges, {@code 0-127, 200}, for the shell and the log. */
    static String describe(List<Integer> buckets) {
        if (buckets.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        int start = buckets.get(0);
        int previous = start;
        for (int i = 1; i <= buckets.size(); i++) {
            int next = i < buckets.size() ? buckets.get(i) : Integer.MIN_VALUE;
            if (next == previous + 1) {
                previous = next;
                continue;
            }
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(start == previous ? String.valueOf(start) : start + "-" + previous);
            start = next;
            previous = next;
        }
        return text.toString();
    }
}

package org.diskless.dhcp.internal;

import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * The dynamic addresses of one subnet and which of them are taken. Addresses never handed out are
 * preferred over ones that were, so a client coming back after its lease ran out is likely to find
 * its old address still free. Not thread-safe: the DHCP event loop owns it.
 */
final class AddressPool {

    private final Subnet subnet;
    private final List<AddressRange> ranges;
    private final int size;
    private final BitSet taken;
    /** Addresses never handed out; always free. */
    private final BitSet fresh;
    private int cursor;

    AddressPool(Subnet subnet) {
        this.subnet = subnet;
        this.ranges = subnet.ranges();
        long total = ranges.stream().mapToLong(AddressRange::size).sum();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pool of " + subnet + " is too large");
        }
        this.size = (int) total;
        this.taken = new BitSet(size);
        this.fresh = new BitSet(size);
        fresh.set(0, size);
    }

    Subnet subnet() {
        return subnet;
    }

    int size() {
        return size;
    }

    int takenCount() {
        return taken.cardinality();
    }

    boolean contains(int address) {
        return index(address) >= 0;
    }

    boolean isFree(int address) {
        int i = index(address);
        return i >= 0 && !taken.get(i);
    }

    void take(int address) {
        int i = index(address);
        if (i >= 0) {
            taken.set(i);
            fresh.clear(i);
        }
    }

    void free(int address) {
        int i = index(address);
        if (i >= 0) {
            taken.clear(i);
        }
    }

    /** Remembers that an address was handed out before, without taking it (restored history). */
    void markUsed(int address) {
        int i = index(address);
        if (i >= 0) {
            fresh.clear(i);
        }
    }

    /**
     * A free address that {@code acceptable} agrees to, never-used ones first, searching on from
     * where the last search stopped; empty when the pool is exhausted.
     */
    OptionalInt findFree(IntPredicate acceptable) {
        return findFree(acceptable, Share.WHOLE);
    }

    /**
     * As {@link #findFree(IntPredicate)}, but in {@code share} of the pool first (never-used, then
     * used addresses), and only then in the rest of it (the same way): servers sharing one lease
     * store each offer from their own share, so two of them do not offer the same address to two
     * clients, and a full share or a peer down loses no address.
     */
    OptionalInt findFree(IntPredicate acceptable, Share share) {
        int first = share.first(size);
        int end = share.end(size);
        OptionalInt found = findIn(acceptable, first, end);
        if (found.isPresent() || end - first == size) {
            return found;
        }
        // The rest is one circular run, from the end of our share round to its start.
        return findIn(acceptable, end, first + size);
    }

    /** Never-used addresses first, then used ones, in the circular run of indexes [from, to). */
    private OptionalInt findIn(IntPredicate acceptable, int from, int to) {
        OptionalInt fresh = scan(acceptable, true, from, to);
        return fresh.isPresent() ? fresh : scan(acceptable, false, from, to);
    }

    /**
     * Scans the circular run [from, to) of indexes ({@code to} may pass {@code size}: it wraps),
     * starting at the cursor when it is inside the run, else at its start.
     */
    private OptionalInt scan(IntPredicate acceptable, boolean freshOnly, int from, int to) {
        if (size == 0 || to <= from) {
            return OptionalInt.empty();
        }
        int length = to - from;
        int offset = Math.floorMod(cursor - from, size);
        int start = offset < length ? offset : 0;
        OptionalInt found = scanLinear(acceptable, freshOnly, from, start, length);
        return found.isPresent() ? found : scanLinear(acceptable, freshOnly, from, 0, start);
    }

    /** Scans offsets [fromOffset, toOffset) of the run that begins at index {@code base}. */
    private OptionalInt scanLinear(IntPredicate acceptable, boolean freshOnly, int base, int fromOffset, int toOffset) {
        int offset = fromOffset;
        while (offset < toOffset) {
            int index = (base + offset) % size;
            // Within one lap of the bit set: stop at its end and go on from index 0.
            int lapEnd = Math.min(size, index + (toOffset - offset));
            int next = nextCandidate(index, freshOnly);
            if (next >= lapEnd) {
                offset += lapEnd - index;
                continue;
            }
            int address = address(next);
            if (acceptable.test(address)) {
                cursor = next + 1;
                return OptionalInt.of(address);
            }
            offset += next + 1 - index;
        }
        return OptionalInt.empty();
    }

    private int nextCandidate(int from, boolean freshOnly) {
        int next = freshOnly ? fresh.nextSetBit(from) : taken.nextClearBit(from);
        return next < 0 ? size : next;
    }

    private int index(int address) {
        int offset = 0;
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return offset + (address - range.first());
            }
            offset += (int) range.size();
        }
        return -1;
    }

    private int address(int index) {
        int offset = index;
        for (AddressRange range : ranges) {
            if (offset < range.size()) {
                return range.first() + offset;
            }
            offset -= (int) range.size();
        }
        throw new IndexOutOfBoundsException(index);
    }
}

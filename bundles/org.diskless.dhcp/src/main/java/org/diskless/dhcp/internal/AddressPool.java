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
        OptionalInt fresh = scan(acceptable, true);
        return fresh.isPresent() ? fresh : scan(acceptable, false);
    }

    private OptionalInt scan(IntPredicate acceptable, boolean freshOnly) {
        if (size == 0) {
            return OptionalInt.empty();
        }
        int start = cursor % size;
        int i = start;
        boolean wrapped = false;
        while (true) {
            int next = nextCandidate(i, freshOnly);
            if (next >= size || next < 0) {
                if (wrapped) {
                    return OptionalInt.empty();
                }
                wrapped = true;
                i = 0;
                continue;
            }
            if (wrapped && next >= start) {
                return OptionalInt.empty();
            }
            int address = address(next);
            if (acceptable.test(address)) {
                cursor = next + 1;
                return OptionalInt.of(address);
            }
            i = next + 1;
        }
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

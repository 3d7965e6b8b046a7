package org.diskless.leases.internal;

import java.util.Arrays;
import java.util.Locale;

/**
 * Counts delays (nanoseconds) in buckets of about 3 % width, from a microsecond up, so that
 * percentiles of millions of syncs or commits cost a fixed array and no allocation per value.
 * Values under a microsecond count in the first bucket, values past the last bucket (about 36
 * minutes) in the last; the maximum is kept exactly. Not thread-safe: one thread records and reads.
 */
final class DelayHistogram {

    /** Buckets per power of two: each is 1/32 of its octave wide, about 3 % of its values. */
    private static final int SUB_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** Microseconds up to 2^31 (about 36 minutes). */
    private static final int OCTAVES = 32;
    private static final long NANOS_PER_MICRO = 1000;

    private final long[] counts = new long[OCTAVES * SUB_BUCKETS];
    private long total;
    private long max;

    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[bucketOf(value / NANOS_PER_MICRO)]++;
        total++;
        max = Math.max(max, value);
    }

    long count() {
        return total;
    }

    long maxNanos() {
        return max;
    }

    /**
     * The nearest-rank percentile ({@code fraction} of 1) in nanoseconds: the upper edge of the
     * bucket that holds it, never more than the maximum; 0 when nothing was recorded.
     */
    long percentileNanos(double fraction) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int bucket = 0; bucket < counts.length; bucket++) {
            seen += counts[bucket];
            if (seen >= rank) {
                return Math.min(max, upperEdgeMicros(bucket) * NANOS_PER_MICRO);
            }
        }
        return max;
    }

    void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    /** "p50 0.412 p99 2.100 max 5.300", in milliseconds. */
    String summaryMillis() {
        return String.format(Locale.ROOT, "p50 %.3f p99 %.3f max %.3f", percentileNanos(0.5) / 1e6,
                percentileNanos(0.99) / 1e6, max / 1e6);
    }

    /**
     * Values below {@code SUB_BUCKETS} microseconds have a bucket each; above, octave k (values
     * with their highest bit at {@code SUB_BITS + k - 1}) is split in {@code SUB_BUCKETS} by the
     * bits below the highest.
     */
    static int bucketOf(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int highest = 63 - Long.numberOfLeadingZeros(micros);
        int octave = highest - SUB_BITS + 1;
        if (octave >= OCTAVES) {
            return OCTAVES * SUB_BUCKETS - 1;
        }
        int sub = (int) ((micros >>> (highest - SUB_BITS)) & (SUB_BUCKETS - 1));
        return octave * SUB_BUCKETS + sub;
    }

    /** The largest value (microseconds) that falls in {@code bucket}. */
    static long upperEdgeMicros(int bucket) {
        int octave = bucket / SUB_BUCKETS;
        int sub = bucket % SUB_BUCKETS;
        if (octave == 0) {
            return sub;
        }
        int shift = octave - 1;
        return ((long) (SUB_BUCKETS + sub + 1) << shift) - 1;
    }
}

package org.diskless.support.stats;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.diskless.api.stats.DurationHistogram;

/**
 * Counts durations into fixed buckets, from any thread, for a {@link DurationHistogram} read at any
 * time: what a protocol's {@code ProtocolStatistics.durations()} returns.
 */
public final class DurationRecorder {

    private final List<Duration> upperBounds;
    private final long[] boundNanos;
    /** Per bucket, not cumulative: each duration lands in one; the last is above every bound. */
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    /** @param upperBounds the buckets' upper bounds, strictly increasing */
    public DurationRecorder(List<Duration> upperBounds) {
        this.upperBounds = List.copyOf(upperBounds);
        this.boundNanos = this.upperBounds.stream().mapToLong(Duration::toNanos).toArray();
        for (int i = 1; i < boundNanos.length; i++) {
            if (boundNanos[i] <= boundNanos[i - 1]) {
                throw new IllegalArgumentException("bounds must increase: " + upperBounds);
            }
        }
        this.buckets = new LongAdder[boundNanos.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Counts one duration; a negative one (a clock stepped back) as zero. */
    public void record(Duration duration) {
        long nanos = duration.isNegative() ? 0 : saturatedNanos(duration);
        int bucket = 0;
        while (bucket < boundNanos.length && nanos > boundNanos[bucket]) {
            bucket++;
        }
        buckets[bucket].increment();
        sumNanos.add(nanos);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The counts so far. Read while others record, a snapshot may miss a duration in one bucket
     * that it counts in the total: the total is taken from the buckets read, so it never disagrees.
     */
    public DurationHistogram snapshot() {
        long[] cumulative = new long[boundNanos.length];
        long running = 0;
        for (int i = 0; i < boundNanos.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        long count = running + buckets[boundNanos.length].sum();
        return new DurationHistogram(upperBounds, cumulative, count, Duration.ofNanos(sumNanos.sum()));
    }
}

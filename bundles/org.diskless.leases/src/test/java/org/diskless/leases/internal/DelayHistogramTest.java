package org.diskless.leases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DelayHistogramTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void percentilesAreWithinABucketOfTheTrueValue() {
        DelayHistogram histogram = new DelayHistogram();
        for (int i = 1; i <= 1000; i++) {
            histogram.record(i * 10_000L); // 10 us .. 10 ms
        }
        assertEquals(1000, histogram.count());
        assertWithin(5 * MS, histogram.percentileNanos(0.5));
        assertWithin(9.9 * MS, histogram.percentileNanos(0.99));
        assertEquals(10 * MS, histogram.maxNanos());
        assertEquals(10 * MS, histogram.percentileNanos(1.0));
    }

    @Test
    void aFewSlowValuesShowInTheTailNotInTheMedian() {
        DelayHistogram histogram = new DelayHistogram();
        for (int i = 0; i < 985; i++) {
            histogram.record(300_000); // 0.3 ms
        }
        for (int i = 0; i < 15; i++) {
            histogram.record(302 * MS);
        }
        assertWithin(0.3 * MS, histogram.percentileNanos(0.5));
        assertWithin(302 * MS, histogram.percentileNanos(0.99));
    }

    @Test
    void theSummaryIsInMilliseconds() {
        DelayHistogram histogram = new DelayHistogram();
        histogram.record(31_000); // below 32 us every microsecond has its own bucket
        histogram.record(5 * MS);
        assertEquals("p50 0.031 p99 5.000 max 5.000", histogram.summaryMillis());
    }

    @Test
    void emptyAndResetReadAsZero() {
        DelayHistogram histogram = new DelayHistogram();
        assertEquals(0, histogram.percentileNanos(0.99));
        histogram.record(5 * MS);
        histogram.reset();
        assertEquals(0, histogram.count());
        assertEquals(0, histogram.percentileNanos(0.5));
        assertEquals(0, histogram.maxNanos());
    }

    @Test
    void extremesLandInTheFirstAndLastBuckets() {
        DelayHistogram histogram = new DelayHistogram();
        histogram.record(-5);
        histogram.record(500);
        histogram.record(Long.MAX_VALUE);
        assertEquals(3, histogram.count());
        assertEquals(0, histogram.percentileNanos(0.5));
        assertEquals(Long.MAX_VALUE, histogram.maxNanos());
    }

    @Test
    void bucketsCoverEveryValueInOrderAndAreNarrow() {
        int previous = -1;
        for (long micros = 0; micros < 1 << 22; micros += 1 + micros / 97) {
            int bucket = DelayHistogram.bucketOf(micros);
            assertTrue(bucket >= previous, "buckets in order at " + micros);
            long upper = DelayHistogram.upperEdgeMicros(bucket);
            assertTrue(upper >= micros, micros + " above its bucket's edge " + upper);
            assertTrue(upper - micros <= Math.max(1, micros / 32), micros + " in a bucket wider than 1/32: " + upper);
            previous = bucket;
        }
    }

    private static void assertWithin(double expectedNanos, long actualNanos) {
        assertTrue(Math.abs(actualNanos - expectedNanos) <= expectedNanos / 32 + 1000,
                "expected about " + expectedNanos + " ns, got " + actualNanos);
    }
}

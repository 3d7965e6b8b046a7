package org.diskless.support.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.diskless.api.stats.DurationHistogram;
import org.junit.jupiter.api.Test;

class DurationRecorderTest {

    private final DurationRecorder recorder = new DurationRecorder(
            List.of(Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100)));

    @Test
    void eachDurationCountsInEveryBucketItFitsAndInTheTotal() {
        recorder.record(Duration.ofMillis(1)); // on the bound: in it
        recorder.record(Duration.ofMillis(5));
        recorder.record(Duration.ofSeconds(3)); // above every bound: in the total only
        recorder.record(Duration.ofMillis(-4)); // a clock stepped back: zero

        DurationHistogram h = recorder.snapshot();

        assertEquals(List.of(2L, 3L, 3L), List.of(h.cumulativeCount(0), h.cumulativeCount(1), h.cumulativeCount(2)));
        assertEquals(4, h.count());
        assertEquals(Duration.ofMillis(3006), h.sum());
    }

    @Test
    void boundsMustIncrease() {
        assertThrows(IllegalArgumentException.class,
                () -> new DurationRecorder(List.of(Duration.ofSeconds(2), Duration.ofSeconds(1))));
    }
}

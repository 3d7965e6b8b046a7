package org.diskless.boot.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.diskless.support.stats.DurationRecorder;

/**
 * Boots begun and finished since the book started, for {@code BootStatistics}: each boot is counted
 * once when it begins and once when it finishes ({@link BootRecord#finish}). Updated from any thread.
 */
final class BootTally {

    /** From a PXE ROM's few seconds to a slow network's RAM disk of several minutes. */
    static final List<Duration> BOUNDS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20),
            Duration.ofMinutes(30));

    private final LongAdder started = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final DurationRecorder durations = new DurationRecorder(BOUNDS);

    void started() {
        started.increment();
    }

    /** @param took from the boot's first event to its last */
    void finished(Duration took, boolean failure) {
        (failure ? failed : completed).increment();
        durations.record(took);
    }

    long startedCount() {
        return started.sum();
    }

    long completedCount() {
        return completed.sum();
    }

    long failedCount() {
        return failed.sum();
    }

    DurationRecorder durations() {
        return durations;
    }
}

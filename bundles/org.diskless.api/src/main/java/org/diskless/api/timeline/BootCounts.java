package org.diskless.api.timeline;

import java.util.Objects;

import org.diskless.api.stats.DurationHistogram;

/**
 * Boots counted since the timeline recorder started. A boot begins as the timelines begin one; it
 * finishes when its client begins another, or when the client has been quiet for the recorder's
 * quiet gap; finished, it failed when a step went wrong and the client got no further (the
 * timelines' failure rule), else it completed. Immutable.
 *
 * @param started    boots begun
 * @param completed  boots finished without a failure
 * @param failed     boots finished with one
 * @param inProgress boots begun and not finished, of the clients the recorder remembers
 * @param durations  the finished boots' durations, from their first event to their last
 */
public record BootCounts(long started, long completed, long failed, long inProgress, DurationHistogram durations) {

    public BootCounts {
        if (started < 0 || completed < 0 || failed < 0 || inProgress < 0) {
            throw new IllegalArgumentException("counts must not be negative: started " + started + ", completed "
                    + completed + ", failed " + failed + ", in progress " + inProgress);
        }
        Objects.requireNonNull(durations, "durations");
    }
}

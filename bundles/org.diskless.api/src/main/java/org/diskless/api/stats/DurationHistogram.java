package org.diskless.api.stats;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How long something took, counted into buckets since counting began (a lease made durable, a
 * boot): for each upper bound, how many took at most that long; and how many in all, and how long
 * together. Counts never fall while their counter lives, as Prometheus' classic histograms expect.
 * Immutable.
 */
public final class DurationHistogram {

    private final List<Duration> upperBounds;
    private final long[] cumulativeCounts;
    private final long count;
    private final Duration sum;

    /**
     * @param upperBounds      the buckets' upper bounds, strictly increasing (the last bucket, unbounded, is implied)
     * @param cumulativeCounts for each bound, how many took at most that long: never falling, never above count
     * @param count            how many in all
     * @param sum              how long together
     */
    public DurationHistogram(List<Duration> upperBounds, long[] cumulativeCounts, long count, Duration sum) {
        this.upperBounds = List.copyOf(upperBounds);
        this.cumulativeCounts = cumulativeCounts.clone();
        if (this.cumulativeCounts.length != this.upperBounds.size()) {
            throw new IllegalArgumentException(this.upperBounds.size() + " bounds but " + this.cumulativeCounts.length
                    + " counts");
        }
        for (int i = 0; i < this.upperBounds.size(); i++) {
            if (i > 0 && this.upperBounds.get(i).compareTo(this.upperBounds.get(i - 1)) <= 0) {
                throw new IllegalArgumentException("bounds must increase: " + this.upperBounds);
            }
            long previous = i == 0 ? 0 : this.cumulativeCounts[i - 1];
            if (this.cumulativeCounts[i] < previous || this.cumulativeCounts[i] > count) {
                throw new IllegalArgumentException("cumulative counts must not fall nor pass the count " + count
                        + ": " + Arrays.toString(this.cumulativeCounts));
            }
        }
        this.count = count;
        this.sum = Objects.requireNonNull(sum, "sum");
    }

    /** The buckets' upper bounds, increasing; the last bucket, above them all, is implied. */
    public List<Duration> upperBounds() {
        return upperBounds;
    }

    /** How many took at most {@code upperBounds().get(bucket)}. */
    public long cumulativeCount(int bucket) {
        return cumulativeCounts[bucket];
    }

    /** How many in all, the implied unbounded bucket included. */
    public long count() {
        return count;
    }

    /** How long they took together. */
    public Duration sum() {
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DurationHistogram other && upperBounds.equals(other.upperBounds)
                && Arrays.equals(cumulativeCounts, other.cumulativeCounts) && count == other.count
                && sum.equals(other.sum);
    }

    @Override
    public int hashCode() {
        return Objects.hash(upperBounds, Arrays.hashCode(cumulativeCounts), count, sum);
    }

    @Override
    public String toString() {
        return "DurationHistogram[bounds=" + upperBounds + ", counts=" + Arrays.toString(cumulativeCounts) + ", count="
                + count + ", sum=" + sum + "]";
    }
}

package org.diskless.wake.internal;

import java.time.Duration;

/**
 * How one {@code wake:nodes} run paces itself.
 *
 * @param batch        nodes woken together
 * @param interval     from one batch to the next
 * @param untilKernel  before the next batch, wait until every node of the last one fetched its kernel
 * @param kernelWait   how long that wait lasts at most, per batch
 * @param force        wake nodes the timelines show booting, or booted lately, too
 */
public record WakePlan(int batch, Duration interval, boolean untilKernel, Duration kernelWait, boolean force) {

    /** How often a wait for kernels looks at the timelines. */
    static final Duration POLL = Duration.ofMillis(500);

    public WakePlan {
        if (batch < 1) {
            throw new IllegalArgumentException("a batch holds at least one node, not " + batch);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the interval cannot be negative: " + interval);
        }
        if (kernelWait.isNegative()) {
            throw new IllegalArgumentException("the wait for kernels cannot be negative: " + kernelWait);
        }
    }
}

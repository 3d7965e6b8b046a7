package org.diskless.dhcp.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** A clock that moves only when the test says so. */
final class ManualClock implements Supplier<Instant> {

    private Instant now;

    ManualClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant get() {
        return now;
    }

    void advance(Duration by) {
        now = now.plus(by);
    }
}

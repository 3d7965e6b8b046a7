package org.diskless.wake.internal;

import java.time.Duration;
import java.time.Instant;

/** The time a staggered wake runs on: the system's, or a test's that moves only when asked. */
interface Ticker {

    Instant now();

    /** Returns after {@code duration}; throws when the thread is interrupted (Ctrl-C in the shell). */
    void sleep(Duration duration) throws InterruptedException;

    Ticker SYSTEM = new Ticker() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            } else if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    };
}

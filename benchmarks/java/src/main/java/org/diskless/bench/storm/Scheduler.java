package org.diskless.bench.storm;

/**
 * The clock and timers of the generator's one thread; the state machines take time only from here,
 * so tests drive them with a clock of their own.
 */
interface Scheduler {

    /** Now, in nanoseconds of an arbitrary origin ({@link System#nanoTime()} in a run). */
    long now();

    Timer timer(Runnable onExpiry);

    /** A one-shot timer that can be moved or cancelled any number of times. */
    interface Timer {

        /** Expires at {@code deadline} (nanoseconds), replacing any earlier setting. */
        void at(long deadline);

        void cancel();
    }
}

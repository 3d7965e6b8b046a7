package org.diskless.mtftp.internal;

/**
 * Spaces a sender's blocks so that they leave at no more than a set number of bytes a second.
 * A master acknowledges as fast as it can write; clients that only listen must take every block
 * at that pace too, and one that falls behind loses blocks and has to re-open, which costs a
 * whole round more on the wire. Not thread-safe: one sender, one event loop.
 */
final class Pace {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private long nextNanos;
    private boolean started;

    /** @param bytesPerSecond the most a second carries; 0 for no limit */
    Pace(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** How long a packet of {@code bytes} must wait from {@code now} (nanoseconds) to keep the pace; 0: at once. */
    long delay(long now, int bytes) {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        long earliest = started && nextNanos - now > 0 ? nextNanos : now;
        started = true;
        nextNanos = earliest + bytes * NANOS_PER_SECOND / bytesPerSecond;
        return earliest - now;
    }
}

package org.diskless.tftp.internal;

/**
 * How long one transfer waits for an answer before it sends again, in the manner of RFC 6298
 * (TCP's retransmission timer): a smoothed round trip plus four times its mean deviation, so a
 * client whose answers come irregularly (one of many on a loaded host, each waiting for a cpu) is
 * given the time its answers have been seen to take, not the time of its fastest; doubled at every
 * retransmission and kept doubled until a round trip is measured again, so that a client slower
 * than ever seen is asked less and less often rather than flooded; never below
 * {@link #FLOOR_NANOS}; never above the ceiling the caller passes (the transfer's negotiated
 * timeout), which is also the whole answer until a first round trip is measured.
 *
 * <p>One departure from RFC 6298: the deviation rises as fast as there (a quarter of the way to a
 * larger one) but falls eight times slower. A loaded client is slow now and then, not steadily:
 * RFC 6298's deviation forgets a slow answer within a few quick ones, and the next slow answer,
 * no rarer than the last, is resent. Falling slowly, a slow answer is remembered for a few dozen.
 *
 * <p>The caller feeds only round trips it can attribute to one copy of a packet (Karn's rule): an
 * answer to a packet sent twice may answer either copy, and timing it from the copy would shrink
 * the estimate just when the client was slow.
 *
 * <p>Not thread-safe: one per transfer, used on its event loop.
 */
final class RetransmissionTimeout {

    /**
     * The least wait before a packet goes again, however quickly the client has answered so far.
     * A client answers once the scheduler runs it, and with a few hundred clients woken together
     * on a loaded host that takes tens of milliseconds, with no warning in the round trips
     * measured before: the floor sits above such a wake-up (Linux's TCP waits at least twice as
     * long, RFC 6298 ten times). Waiting that long costs little, as a block lost on a LAN is rare and
     * mostly repaired without the timer (a windowed client reports its gap), while every resend
     * that was not needed costs a server busiest just then one more packet, and its client a
     * duplicate to read.
     */
    static final long FLOOR_NANOS = 100_000_000L;

    /** Doublings beyond which any wait exceeds every ceiling (255 s). */
    private static final int MAX_BACKOFFS = 32;

    /** Gains of the smoothed round trip and of its deviation when rising and falling (RFC 6298: 1/8, 1/4, 1/4). */
    private static final int ROUND_TRIP_GAIN_SHIFT = 3;
    private static final int DEVIATION_RISE_SHIFT = 2;
    private static final int DEVIATION_FALL_SHIFT = 5;

    /** Smoothed round trip, 0 until the first sample, and its smoothed mean deviation. */
    private long smoothed;
    private long deviation;
    private int backoffs;

    /**
     * A round trip of a packet sent once; the first sample after retransmissions ends their
     * back-off.
     */
    void sample(long roundTripNanos) {
        long sample = Math.max(1, roundTripNanos);
        if (smoothed == 0) {
            smoothed = sample;
            deviation = sample / 2;
        } else {
            long error = Math.abs(smoothed - sample);
            deviation += (error - deviation) >> (error > deviation ? DEVIATION_RISE_SHIFT : DEVIATION_FALL_SHIFT);
            smoothed += (sample - smoothed) >> ROUND_TRIP_GAIN_SHIFT;
        }
        backoffs = 0;
    }

    /** A retransmission went out: the next wait is twice this one. */
    void backOff() {
        backoffs = Math.min(backoffs + 1, MAX_BACKOFFS);
    }

    /** How long to wait now, at most {@code ceilingNanos}. */
    long nanos(long ceilingNanos) {
        if (smoothed == 0) {
            return ceilingNanos;
        }
        long wait = Math.max(FLOOR_NANOS, smoothed + 4 * deviation);
        for (int i = 0; i < backoffs && wait < ceilingNanos; i++) {
            wait *= 2;
        }
        return Math.min(wait, ceilingNanos);
    }
}

package org.diskless.bench.storm;

import java.util.concurrent.TimeUnit;

/**
 * The retransmission timer of iPXE's TFTP client (its generic retry timer), which is what decides
 * when a PXE ROM resends an RRQ or ACK and when it gives up. The timeout starts at a quarter of a
 * second, follows the measured round trip ({@code t = 7t/8 + r/2}, that is four smoothed round
 * trips), doubles at each expiry, and the transfer fails at the expiry that would take it past
 * ten seconds: from the floor, after 15.75 s without an answer. A round trip measured right after
 * expiries is not used (one is skipped per expiry), since it may be the answer to an earlier copy.
 *
 * <p>Plain arithmetic on times the caller passes, so the state machines using it are testable
 * without a clock.
 */
final class RetryTimer {

    static final long MIN_TIMEOUT = TimeUnit.MILLISECONDS.toNanos(250);
    static final long MAX_TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    private long timeout;
    private long startedAt;
    private boolean running;
    private int expiriesNotYetAnswered;

    /**
     * A packet goes out now (a first RRQ, or an ACK that answers data): the round trip since the
     * previous one updates the estimate, and the timer restarts. Returns when it expires.
     */
    long sent(long now) {
        if (running) {
            running = false;
            if (expiriesNotYetAnswered > 0) {
                expiriesNotYetAnswered--;
            } else {
                timeout -= timeout >> 3;
                timeout += (now - startedAt) >> 1;
            }
        }
        return restart(now);
    }

    /**
     * The timer expired: backs off. Returns true when the ROM gives up; otherwise the caller resends
     * and calls {@link #resent}.
     */
    boolean expired() {
        running = false;
        expiriesNotYetAnswered++;
        timeout <<= 1;
        if (timeout > MAX_TIMEOUT) {
            timeout = MAX_TIMEOUT;
            return true;
        }
        return false;
    }

    /** The retransmission after an expiry went out now; returns when the timer expires next. */
    long resent(long now) {
        return restart(now);
    }

    /** The transfer is over: no estimate from a round trip that will not be answered. */
    void stop() {
        running = false;
    }

    long timeout() {
        return timeout;
    }

    private long restart(long now) {
        running = true;
        startedAt = now;
        if (timeout < MIN_TIMEOUT) {
            timeout = MIN_TIMEOUT;
        }
        return now + timeout;
    }
}

package org.diskless.web.internal;

import java.time.Duration;

/**
 * How password guessing is held back, per client address: {@code failures} failed logins within
 * {@code window} lock the address out for {@code backoff}, doubled at each lockout that follows up
 * to {@code maxBackoff}; at most {@code maxClients} addresses are remembered.
 */
record LoginLimits(int failures, Duration window, Duration backoff, Duration maxBackoff, int maxClients) {

    static final LoginLimits DEFAULT = new LoginLimits(5, Duration.ofMinutes(1), Duration.ofSeconds(30),
            Duration.ofMinutes(15), 10_000);

    LoginLimits {
        if (failures < 1 || maxClients < 1 || window.isNegative() || window.isZero() || backoff.isNegative()
                || backoff.isZero() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("inconsistent login limits: " + failures + " failures in " + window
                    + ", back-off " + backoff + " to " + maxBackoff + ", " + maxClients + " addresses");
        }
    }

    /** The lockout after {@code lockouts} earlier ones: the back-off doubled that many times, at most the maximum. */
    Duration backoffAfter(int lockouts) {
        Duration next = backoff;
        for (int i = 0; i < lockouts && next.compareTo(maxBackoff) < 0; i++) {
            next = next.multipliedBy(2);
        }
        return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
    }
}

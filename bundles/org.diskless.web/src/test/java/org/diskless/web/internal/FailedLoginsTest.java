package org.diskless.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class FailedLoginsTest {

    /** 3 failures in 60 s lock out for 10 s, then 20, 40, at most 60; 100 addresses remembered. */
    private static final LoginLimits LIMITS = new LoginLimits(3, Duration.ofSeconds(60), Duration.ofSeconds(10),
            Duration.ofSeconds(60), 100);
    private static final String CLIENT = "192.0.2.7";

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final FailedLogins logins = new FailedLogins(LIMITS, nanos::get);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    private void fail(String address, int times) {
        for (int i = 0; i < times; i++) {
            assertEquals(Optional.empty(), logins.lockedOut(address), () -> address + " is not locked out yet");
            logins.failed(address);
        }
    }

    @Test
    void theNthFailureWithinTheWindowLocksTheAddressOutForTheBackoff() {
        fail(CLIENT, 2);
        FailedLogins.Failure third = logins.failed(CLIENT);
        assertTrue(third.lockedOut());
        assertEquals(3, third.failures());
        assertEquals(Duration.ofSeconds(10), third.backoff());
        assertEquals(CLIENT, third.entry());
        assertEquals(Optional.of(Duration.ofSeconds(10)), logins.lockedOut(CLIENT));
        advance(Duration.ofSeconds(4));
        assertEquals(Optional.of(Duration.ofSeconds(6)), logins.lockedOut(CLIENT));
        assertEquals(Optional.empty(), logins.lockedOut("192.0.2.8"), "other addresses are not concerned");
        advance(Duration.ofSeconds(6));
        assertEquals(Optional.empty(), logins.lockedOut(CLIENT), "the back-off has run out");
        assertEquals(3, logins.failedCount());
        assertEquals(1, logins.lockoutCount());
        assertEquals(2, logins.refusedCount(), "each request while locked out is counted");
    }

    @Test
    void failuresFurtherApartThanTheWindowDoNotAddUp() {
        fail(CLIENT, 2);
        advance(Duration.ofSeconds(61));
        fail(CLIENT, 2);
        assertEquals(Optional.empty(), logins.lockedOut(CLIENT));
        assertTrue(logins.failed(CLIENT).lockedOut(), "three within the new window");
    }

    @Test
    void eachLockoutThatFollowsLastsTwiceAsLongUpToTheMaximum() {
        long[] expected = {10, 20, 40, 60, 60};
        for (long seconds : expected) {
            fail(CLIENT, 2);
            FailedLogins.Failure failure = logins.failed(CLIENT);
            assertTrue(failure.lockedOut());
            assertEquals(Duration.ofSeconds(seconds), failure.backoff());
            advance(failure.backoff());
        }
        assertEquals(expected.length, logins.lockoutCount());
    }

    @Test
    void aSuccessfulLoginForgetsTheFailuresAndTheBackoff() {
        fail(CLIENT, 3);
        advance(Duration.ofSeconds(10));
        fail(CLIENT, 2);
        logins.succeeded(CLIENT);
        assertEquals(0, logins.size());
        fail(CLIENT, 2);
        assertEquals(Duration.ofSeconds(10), logins.failed(CLIENT).backoff(), "the back-off starts over");
    }

    @Test
    void anAddressQuietForLongerThanTheMaximumBackoffIsForgotten() {
        fail(CLIENT, 3);
        advance(Duration.ofSeconds(10 + 60));
        logins.failed("192.0.2.99"); // any failure makes room first
        assertEquals(1, logins.size(), "only the newcomer is remembered");
        fail(CLIENT, 2);
        assertEquals(Duration.ofSeconds(10), logins.failed(CLIENT).backoff());
    }

    @Test
    void aFloodFromThousandsOfAddressesKeepsTheTableCappedAndIsLockedOutAsOne() {
        // Each address of the flood fails as often as it may; 100 of them are remembered, locked out.
        int refusedBefore = 0;
        for (int i = 0; i < 5_000; i++) {
            String address = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            for (int attempt = 0; attempt < 3; attempt++) {
                if (logins.lockedOut(address).isPresent()) {
                    refusedBefore++;
                    continue;
                }
                logins.failed(address);
            }
            assertTrue(logins.size() <= LIMITS.maxClients() + 1, () -> "remembered: " + logins.size());
        }
        assertEquals(LIMITS.maxClients() + 1, logins.size(), "the table is full, plus the shared entry");
        assertTrue(refusedBefore > 4_000 * 2, "once the table is full of lockouts, newcomers are refused as one: "
                + refusedBefore);
        assertTrue(logins.failedCount() < 100 * 3 + 3 + 5_000, "JAAS was asked about "
                + logins.failedCount() + " logins of 15000");
        assertTrue(logins.lockedOut("10.200.0.1").isPresent(), "a newcomer during the flood shares the lockout");
        assertTrue(logins.lockedOut("10.0.0.0").isPresent(), "the first addresses are still locked out");

        // Once the lockouts have run out, a new address gets room of its own again.
        advance(LIMITS.maxBackoff());
        assertEquals(Optional.empty(), logins.lockedOut("10.200.0.1"));
        assertFalse(logins.failed("10.200.0.1").lockedOut());
        assertTrue(logins.size() <= LIMITS.maxClients() + 1);
    }

    @Test
    void smallerLimitsShrinkTheTable() {
        for (int i = 0; i < 50; i++) {
            logins.failed("192.0.2." + i);
        }
        logins.limits(new LoginLimits(3, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(60), 10));
        assertEquals(10, logins.size());
        assertFalse(logins.failed("192.0.2.49").lockedOut(), "the newest addresses were kept with their failures");
        assertTrue(logins.failed("192.0.2.49").lockedOut());
    }

    @Test
    void backoffsDoubleWithoutOverflowing() {
        LoginLimits limits = new LoginLimits(1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofDays(1), 1);
        assertEquals(Duration.ofSeconds(1), limits.backoffAfter(0));
        assertEquals(Duration.ofSeconds(8), limits.backoffAfter(3));
        assertEquals(Duration.ofDays(1), limits.backoffAfter(Integer.MAX_VALUE));
    }
}

package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetransmissionTimeoutTest {

    private static final long MS = 1_000_000L;
    private static final long CEILING = 5_000 * MS;

    private final RetransmissionTimeout timeout = new RetransmissionTimeout();

    @Test
    void untilARoundTripIsMeasuredTheWaitIsTheWholeCeiling() {
        assertEquals(CEILING, timeout.nanos(CEILING));
        timeout.backOff();
        assertEquals(CEILING, timeout.nanos(CEILING));
    }

    @Test
    void aFirstRoundTripWaitsItselfPlusFourHalves() {
        timeout.sample(200 * MS);
        assertEquals(600 * MS, timeout.nanos(CEILING), "RFC 6298: R + 4 * R/2");
    }

    @Test
    void aSteadilyQuickClientIsGivenTheFloorAndNoLess() {
        for (int i = 0; i < 100; i++) {
            timeout.sample(MS);
        }
        assertEquals(RetransmissionTimeout.FLOOR_NANOS, timeout.nanos(CEILING));
    }

    @Test
    void eachBackOffDoublesTheWaitUpToTheCeiling() {
        timeout.sample(200 * MS);
        long[] expected = {1_200, 2_400, 4_800, 5_000, 5_000};
        for (long millis : expected) {
            timeout.backOff();
            assertEquals(millis * MS, timeout.nanos(CEILING));
        }
    }

    @Test
    void aRoundTripEndsTheBackOff() {
        timeout.sample(200 * MS);
        timeout.backOff();
        timeout.backOff();
        timeout.sample(200 * MS);
        assertTrue(timeout.nanos(CEILING) < 600 * MS, "back to the estimate: " + timeout.nanos(CEILING) / MS + " ms");
    }

    @Test
    void theWaitNeverPassesTheCeilingHoweverLongTheRoundTrip() {
        timeout.sample(10_000 * MS);
        assertEquals(CEILING, timeout.nanos(CEILING));
        for (int i = 0; i < 100; i++) {
            timeout.backOff();
        }
        assertEquals(CEILING, timeout.nanos(CEILING), "no overflow after many doublings");
    }

    @Test
    void aSlowAnswerOfThreeTimesTheSmoothedRoundTripIsStillCoveredAfterADozenQuickOnes() {
        for (int i = 0; i < 20; i++) {
            timeout.sample(100 * MS);
        }
        timeout.sample(300 * MS);
        for (int i = 0; i < 12; i++) {
            timeout.sample(100 * MS);
        }
        // RFC 6298's deviation would be down to a thirtieth of what the slow answer added, and
        // the next such answer resent.
        assertTrue(timeout.nanos(CEILING) > 300 * MS, timeout.nanos(CEILING) / MS + " ms");
    }
}

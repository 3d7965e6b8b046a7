package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RetryTimerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void givesUpAfterAboutSixteenSecondsOfSilenceFromTheFloor() {
        RetryTimer timer = new RetryTimer();
        long deadline = timer.sent(0);
        int resends = 0;
        while (!timer.expired()) {
            resends++;
            deadline = timer.resent(deadline);
        }

        assertEquals(5, resends, "after 0.25, 0.5, 1, 2 and 4 s");
        assertEquals(15_750 * MS, deadline, "the sixth expiry, at 8 s more, gives up");
    }

    @Test
    void theTimeoutFollowsFourRoundTrips() {
        RetryTimer timer = new RetryTimer();
        long now = 0;
        timer.sent(now);
        for (int i = 0; i < 100; i++) {
            now += 200 * MS;
            timer.sent(now);
        }

        assertEquals(800 * MS, timer.timeout(), 5 * MS);
    }

    @Test
    void neverBelowAQuarterSecond() {
        RetryTimer timer = new RetryTimer();
        long now = 0;
        timer.sent(now);
        for (int i = 0; i < 100; i++) {
            now += MS;
            assertEquals(now + 250 * MS, timer.sent(now));
        }
    }

    @Test
    void anAnswerAfterAnExpiryIsNoRoundTrip() {
        RetryTimer timer = new RetryTimer();
        timer.sent(0);
        assertFalse(timer.expired());
        long resent = 250 * MS;
        timer.resent(resent);
        long before = timer.timeout();

        timer.sent(resent + 5_000 * MS);

        assertEquals(before, timer.timeout(), "the late answer may be to the first copy: not measured");
        timer.sent(resent + 5_100 * MS);
        assertTrue(timer.timeout() < before, "the next answer is measured again");
    }
}

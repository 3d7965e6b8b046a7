package org.diskless.support.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final LogThrottle throttle = new LogThrottle(Duration.ofSeconds(60), now::get);

    @Test
    void oneLineAPeriodPerKeyAndTheNextSaysHowManyWereHeldBack() {
        assertEquals(0, throttle.due("a"));
        for (int i = 0; i < 500; i++) {
            assertEquals(-1, throttle.due("a"));
        }
        assertEquals(0, throttle.due("b"));

        now.addAndGet(Duration.ofSeconds(60).toNanos());

        assertEquals(500, throttle.due("a"));
        assertEquals(-1, throttle.due("a"));
    }

    @Test
    void aFloodOfDistinctKeysSharesOneSlotPastTheBound() {
        int logged = 0;
        for (int i = 0; i < 100_000; i++) {
            if (throttle.due("client-" + i) >= 0) {
                logged++;
            }
        }
        assertEquals(LogThrottle.MAX_KEYS + 1, logged);
    }
}

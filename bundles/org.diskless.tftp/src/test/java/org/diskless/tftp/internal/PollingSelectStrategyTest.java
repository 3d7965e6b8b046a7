package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

class PollingSelectStrategyTest {

    /** A clock that moves 10 µs each time it is read, so the budget runs out after a known number of polls. */
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger polls = new AtomicInteger();

    @Test
    void aPacketArrivingWhilePollingIsHandledWithoutSleeping() throws Exception {
        int ready = strategy(100).calculateStrategy(readyOnPoll(3), false);
        assertEquals(1, ready, "the selected key count goes back to the event loop");
        assertEquals(3, polls.get());
    }

    @Test
    void anIdleLoopSleepsOnceTheBudgetIsSpent() throws Exception {
        int strategy = strategy(100).calculateStrategy(readyOnPoll(Integer.MAX_VALUE), false);
        assertEquals(SelectStrategy.SELECT, strategy);
        assertTrue(polls.get() >= 1 && polls.get() <= 11, "polled for about 100 µs of the clock, not " + polls.get());
    }

    @Test
    void aZeroBudgetSleepsAtOnceAsNettyDoes() throws Exception {
        assertEquals(SelectStrategy.SELECT, strategy(0).calculateStrategy(readyOnPoll(1), false));
        assertEquals(0, polls.get());
    }

    @Test
    void pendingTasksRunWithoutPolling() throws Exception {
        assertEquals(0, strategy(100).calculateStrategy(readyOnPoll(Integer.MAX_VALUE), true));
        assertEquals(1, polls.get(), "one non-blocking select, as Netty's default strategy");
    }

    private PollingSelectStrategy strategy(long micros) {
        return new PollingSelectStrategy(() -> micros * 1000, () -> nanos.addAndGet(10_000));
    }

    /** A selectNow that finds one ready channel at poll {@code n} (counting from 1), none before. */
    private IntSupplier readyOnPoll(int n) {
        return () -> polls.incrementAndGet() >= n ? 1 : 0;
    }
}

package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class EventLoopTest {

    private static final long RUN_LIMIT = TimeUnit.SECONDS.toNanos(10);

    @Test
    void aTimerMovedLaterRunsOnceAtItsLastDeadlineAndKeepsOneQueueEntry() throws Exception {
        try (EventLoop loop = new EventLoop(new StormTally())) {
            List<Long> runs = new ArrayList<>();
            Scheduler.Timer timer = loop.timer(() -> runs.add(loop.now()));
            long start = loop.now();
            long last = 0;
            for (int move = 1; move <= 10_000; move++) {
                last = start + TimeUnit.MICROSECONDS.toNanos(move);
                timer.at(last);
            }
            assertEquals(1, loop.queuedTimerEntries(), "a move to a later deadline queued another entry");

            loop.run(loop.now() + RUN_LIMIT, () -> !runs.isEmpty());

            assertEquals(1, runs.size());
            assertTrue(runs.get(0) >= last, "ran before its last deadline");
        }
    }

    @Test
    void aTimerMovedEarlierRunsAtTheEarlierDeadlineOnlyOnce() throws Exception {
        try (EventLoop loop = new EventLoop(new StormTally())) {
            List<String> runs = new ArrayList<>();
            Scheduler.Timer early = loop.timer(() -> runs.add("moved"));
            Scheduler.Timer marker = loop.timer(() -> runs.add("marker"));
            long now = loop.now();
            early.at(now + TimeUnit.SECONDS.toNanos(60));
            early.at(now + TimeUnit.MILLISECONDS.toNanos(1));
            marker.at(now + TimeUnit.MILLISECONDS.toNanos(20));

            loop.run(loop.now() + RUN_LIMIT, () -> runs.contains("marker"));

            assertEquals(List.of("moved", "marker"), runs);
        }
    }

    @Test
    void aCancelledTimerDoesNotRunAndCanBeSetAgain() throws Exception {
        try (EventLoop loop = new EventLoop(new StormTally())) {
            List<String> runs = new ArrayList<>();
            Scheduler.Timer timer = loop.timer(() -> runs.add("timer"));
            Scheduler.Timer marker = loop.timer(() -> runs.add("marker"));
            long now = loop.now();
            timer.at(now + TimeUnit.MILLISECONDS.toNanos(1));
            timer.cancel();
            marker.at(now + TimeUnit.MILLISECONDS.toNanos(10));
            loop.run(loop.now() + RUN_LIMIT, () -> runs.contains("marker"));
            assertEquals(List.of("marker"), runs);

            timer.at(loop.now() + TimeUnit.MILLISECONDS.toNanos(1));
            loop.run(loop.now() + RUN_LIMIT, () -> runs.contains("timer"));
            assertEquals(List.of("marker", "timer"), runs);
        }
    }
}

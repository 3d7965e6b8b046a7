package org.diskless.bench.storm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** A clock that moves only when a test says so, firing the timers that fall due on the way. */
final class ManualScheduler implements Scheduler {

    private final List<ManualTimer> timers = new ArrayList<>();
    private long now = TimeUnit.SECONDS.toNanos(1000);

    @Override
    public long now() {
        return now;
    }

    @Override
    public Timer timer(Runnable onExpiry) {
        ManualTimer timer = new ManualTimer(onExpiry);
        timers.add(timer);
        return timer;
    }

    /** Moves the clock by {@code millis}, firing due timers in deadline order (each at its own time). */
    void advanceMillis(long millis) {
        long until = now + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            ManualTimer next = timers.stream().filter(t -> t.armed && t.deadline <= until)
                    .min(Comparator.comparingLong(t -> t.deadline)).orElse(null);
            if (next == null) {
                break;
            }
            now = Math.max(now, next.deadline);
            next.armed = false;
            next.action.run();
        }
        now = until;
    }

    /** When the earliest armed timer falls due, in milliseconds from now, or -1 with none. */
    long nextDueMillis() {
        OptionalLong due = timers.stream().filter(t -> t.armed).mapToLong(t -> t.deadline).min();
        return due.isPresent() ? TimeUnit.NANOSECONDS.toMillis(due.getAsLong() - now) : -1;
    }

    private static final class ManualTimer implements Timer {

        private final Runnable action;
        private long deadline;
        private boolean armed;

        ManualTimer(Runnable action) {
            this.action = action;
        }

        @Override
        public void at(long deadline) {
            this.deadline = deadline;
            armed = true;
        }

        @Override
        public void cancel() {
            armed = false;
        }
    }
}

package org.diskless.support.log;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Logs a recurring problem once per period and key, so a flood of packets that all hit the same
 * problem leaves one readable line a period rather than thousands; the next line that gets through
 * says how many were held back. The keys are bounded: past {@value #MAX_KEYS} distinct keys (a
 * flood from random addresses) they share one, so memory stays bounded too.
 */
public final class LogThrottle {

    static final int MAX_KEYS = 1024;
    private static final String OVERFLOW_KEY = "\u0000many";

    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    public LogThrottle(Duration period) {
        this(period, System::nanoTime);
    }

    LogThrottle(Duration period, LongSupplier nanoTime) {
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    public void info(Logger log, String key, String format, Object... arguments) {
        long held = due(key);
        if (held >= 0 && log.isInfoEnabled()) {
            log.info(withHeld(format, held), arguments);
        }
    }

    public void warn(Logger log, String key, String format, Object... arguments) {
        long held = due(key);
        if (held >= 0) {
            log.warn(withHeld(format, held), arguments);
        }
    }

    public void error(Logger log, String key, String format, Object... arguments) {
        long held = due(key);
        if (held >= 0) {
            log.error(withHeld(format, held), arguments);
        }
    }

    /**
     * Whether a line for {@code key} may be logged now: the number of lines held back since the
     * last one (0 or more), or -1 when this one is held back too.
     */
    public long due(String key) {
        long now = nanoTime.getAsLong();
        Slot slot = slots.get(key);
        if (slot == null) {
            if (slots.size() >= MAX_KEYS) {
                slot = slots.computeIfAbsent(OVERFLOW_KEY, k -> new Slot());
            } else {
                slot = slots.computeIfAbsent(key, k -> new Slot());
            }
        }
        return slot.due(now, periodNanos);
    }

    private static String withHeld(String format, long held) {
        return held == 0 ? format : format + " (" + held + " similar lines held back)";
    }

    private static final class Slot {
        private static final long NEVER = Long.MIN_VALUE;
        private final AtomicLong last = new AtomicLong(NEVER);
        private final AtomicLong held = new AtomicLong();

        long due(long now, long periodNanos) {
            long previous = last.get();
            if (previous != NEVER && now - previous < periodNanos) {
                held.incrementAndGet();
                return -1;
            }
            if (!last.compareAndSet(previous, now)) {
                held.incrementAndGet();
                return -1;
            }
            return held.getAndSet(0);
        }
    }
}

package org.diskless.dhcp.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;

/**
 * Logs a recurring problem once per period and key, so a flood of requests that all hit the
 * same misconfiguration leaves one readable line a minute rather than thousands.
 */
final class LogThrottle {

    private static final int MAX_KEYS = 1024;

    private final long periodNanos;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    LogThrottle(Duration period) {
        this.periodNanos = period.toNanos();
    }

    void info(Logger log, String key, String format, Object... arguments) {
        if (due(key)) {
            log.info(format, arguments);
        }
    }

    void warn(Logger log, String key, String format, Object... arguments) {
        if (due(key)) {
            log.warn(format, arguments);
        }
    }

    void error(Logger log, String key, String format, Object... arguments) {
        if (due(key)) {
            log.error(format, arguments);
        }
    }

    private boolean due(String key) {
        long now = System.nanoTime();
        if (lastLogged.size() > MAX_KEYS) {
            lastLogged.clear();
        }
        Long last = lastLogged.get(key);
        if (last != null && now - last < periodNanos) {
            return false;
        }
        lastLogged.put(key, now);
        return true;
    }
}

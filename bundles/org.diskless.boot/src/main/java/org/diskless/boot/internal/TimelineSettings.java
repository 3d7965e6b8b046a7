package org.diskless.boot.internal;

import java.time.Duration;
import java.util.Map;

/**
 * How boots are told apart and how much is kept. At most {@code maxClients × bootsPerNode ×
 * eventsPerBoot} events are held, and never more than {@code maxBytes} of heap by the store's
 * estimates ({@link KeptEvent}), whatever the clients do.
 */
record TimelineSettings(Duration quietGap, Duration chainloadWindow, int bootsPerNode, int eventsPerBoot,
                        int maxClients, long maxBytes) {

    static final long DEFAULT_MAX_BYTES = 64L << 20;
    static final TimelineSettings DEFAULTS = new TimelineSettings(Duration.ofMinutes(10), Duration.ofSeconds(30),
            2, 40, 5000, DEFAULT_MAX_BYTES);

    /** A configuration value that cannot be used, with the key it came from and why. */
    static final class InvalidSettingException extends Exception {

        private static final long serialVersionUID = 1L;

        InvalidSettingException(String key, Object value, String reason) {
            super("'" + key + "' = '" + value + "': " + reason);
        }
    }

    static TimelineSettings from(Map<String, ?> properties) throws InvalidSettingException {
        int bootsPerNode = (int) number(properties, "bootsPerNode", DEFAULTS.bootsPerNode, 1, 100);
        int eventsPerBoot = (int) number(properties, "eventsPerBoot", DEFAULTS.eventsPerBoot, 4, 10_000);
        // Room for one client's whole history at least: the client being recorded is never the one evicted.
        long oneClient = maxClientBytes(bootsPerNode, eventsPerBoot);
        return new TimelineSettings(
                Duration.ofSeconds(number(properties, "quietGap", DEFAULTS.quietGap.toSeconds(), 1, 7 * 24 * 3600)),
                Duration.ofSeconds(
                        number(properties, "chainloadWindow", DEFAULTS.chainloadWindow.toSeconds(), 0, 3600)),
                bootsPerNode, eventsPerBoot,
                (int) number(properties, "maxClients", DEFAULTS.maxClients, 1, 1_000_000),
                number(properties, "maxBytes", DEFAULT_MAX_BYTES, oneClient, 1L << 40));
    }

    /** The most one client's history can hold: its key and {@code boots} full boots. */
    static long maxClientBytes(int boots, int eventsPerBoot) {
        return KeptEvent.CLIENT_BYTES + boots * BootRecord.maxRetainedBytes(eventsPerBoot);
    }

    private static long number(Map<String, ?> properties, String key, long defaultValue, long min, long max)
            throws InvalidSettingException {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        long n;
        try {
            n = value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, value, "not a whole number");
        }
        if (n < min || n > max) {
            throw new InvalidSettingException(key, value, "must be between " + min + " and " + max);
        }
        return n;
    }
}

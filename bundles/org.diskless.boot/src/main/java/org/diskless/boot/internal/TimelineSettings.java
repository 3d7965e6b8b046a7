package org.diskless.boot.internal;

import java.time.Duration;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * How boots are told apart and how much is kept. At most {@code maxClients × bootsPerNode ×
 * eventsPerBoot} events are held, and never more than {@code maxBytes} of heap by the store's
 * estimates ({@link KeptEvent}), whatever the clients do.
 */
record TimelineSettings(Duration quietGap, int bootsPerNode, int eventsPerBoot,
                        int maxClients, long maxBytes, long savedBytes) {

    static final long DEFAULT_MAX_BYTES = 64L << 20;
    static final long DEFAULT_SAVED_BYTES = 8L << 20;
    static final TimelineSettings DEFAULTS = new TimelineSettings(Duration.ofMinutes(10), 2, 40, 5000, DEFAULT_MAX_BYTES,
            DEFAULT_SAVED_BYTES);

    static TimelineSettings parse(Config config) throws InvalidSettingException {
        int bootsPerNode = config.integer("bootsPerNode", DEFAULTS.bootsPerNode, 1, 100);
        int eventsPerBoot = config.integer("eventsPerBoot", DEFAULTS.eventsPerBoot, 4, 10_000);
        // Room for one client's whole history at least: the client being recorded is never the one evicted.
        long oneClient = maxClientBytes(bootsPerNode, eventsPerBoot);
        return new TimelineSettings(
                config.seconds("quietGap", DEFAULTS.quietGap, 1, 7 * 24 * 3600),
                bootsPerNode, eventsPerBoot,
                config.integer("maxClients", DEFAULTS.maxClients, 1, 1_000_000),
                config.number("maxBytes", DEFAULT_MAX_BYTES, oneClient, 1L << 40),
                config.number("savedBytes", DEFAULT_SAVED_BYTES, 0, 1L << 30));
    }

    /** The most one client's history can hold: its key and {@code boots} full boots. */
    static long maxClientBytes(int boots, int eventsPerBoot) {
        return KeptEvent.CLIENT_BYTES + boots * BootRecord.maxRetainedBytes(eventsPerBoot);
    }
}

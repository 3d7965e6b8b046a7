package org.diskless.api.stats;

import java.util.Map;

import org.diskless.api.boot.BootProtocol;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a protocol's counters, read by status pages and metrics exporters without importing
 * the protocol's internals. Registered by each protocol bundle while it runs; gone with it.
 *
 * <p>Names are lower-case words joined by {@code _} ({@code requests_refused}), stable across
 * releases; a counter is never reset while the service is registered.
 */
@ConsumerType
public interface ProtocolStatistics {

    /** The protocol counted. */
    BootProtocol protocol();

    /** Monotonic counts since the service was registered, by name, in a stable order. */
    Map<String, Long> counters();

    /** Current levels (transfers in flight, sessions open), by name; none by default. */
    default Map<String, Long> gauges() {
        return Map.of();
    }

    /**
     * How long things took (a lease made durable), by name, named like the counters; none by
     * default. Each histogram keeps its bounds while the service is registered.
     */
    default Map<String, DurationHistogram> durations() {
        return Map.of();
    }
}

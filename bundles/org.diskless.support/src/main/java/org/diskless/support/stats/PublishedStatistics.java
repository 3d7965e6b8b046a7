package org.diskless.support.stats;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.ProtocolStatistics;

/**
 * A protocol's counters and levels as the {@link ProtocolStatistics} service, read from the
 * protocol's server at each call. A protocol bundle registers it by a component that extends this
 * and names, in its constructor, where the numbers come from; the component references the
 * server's monitor, so the service lives as long as the server does.
 */
public class PublishedStatistics implements ProtocolStatistics {

    private final BootProtocol protocol;
    private final Supplier<Map<String, Long>> counters;
    private final Supplier<Map<String, Long>> gauges;

    /**
     * @param counters the protocol's counters by name, in a stable order
     * @param gauges   its current levels by name
     */
    protected PublishedStatistics(BootProtocol protocol, Supplier<Map<String, Long>> counters,
                                  Supplier<Map<String, Long>> gauges) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.counters = counters;
        this.gauges = gauges;
    }

    @Override
    public final BootProtocol protocol() {
        return protocol;
    }

    @Override
    public final Map<String, Long> counters() {
        return counters.get();
    }

    @Override
    public final Map<String, Long> gauges() {
        return gauges.get();
    }
}

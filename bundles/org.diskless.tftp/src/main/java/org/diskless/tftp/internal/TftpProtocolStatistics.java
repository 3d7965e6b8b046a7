package org.diskless.tftp.internal;

import java.util.Map;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.ProtocolStatistics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * TFTP's counters for metrics exporters and status pages, which read them through the API without
 * importing TFTP's internals: the same counters {@code tftp:stats} shows, registered while the
 * TFTP server runs.
 */
@Component(service = ProtocolStatistics.class)
public final class TftpProtocolStatistics implements ProtocolStatistics {

    private final TftpMonitor monitor;

    @Activate
    public TftpProtocolStatistics(@Reference TftpMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public BootProtocol protocol() {
        return BootProtocol.TFTP;
    }

    @Override
    public Map<String, Long> counters() {
        return monitor.statistics().counters();
    }

    @Override
    public Map<String, Long> gauges() {
        TftpStatistics statistics = monitor.statistics();
        return Map.of("transfers_active", (long) statistics.active(), "requests_preparing", statistics.preparing());
    }
}

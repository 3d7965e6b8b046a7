package org.diskless.tftp.internal;

import java.util.Map;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.support.stats.PublishedStatistics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * TFTP's counters for metrics exporters and status pages, which read them through the API without
 * importing TFTP's internals: the same counters {@code tftp:stats} shows, registered while the
 * TFTP server runs.
 */
@Component(service = ProtocolStatistics.class)
public final class TftpProtocolStatistics extends PublishedStatistics {

    @Activate
    public TftpProtocolStatistics(@Reference TftpMonitor monitor) {
        super(BootProtocol.TFTP, () -> monitor.statistics().counters(), () -> gauges(monitor.statistics()));
    }

    private static Map<String, Long> gauges(TftpStatistics statistics) {
        return Map.of("transfers_active", (long) statistics.active(), "requests_preparing", statistics.preparing());
    }
}

package org.diskless.mtftp.internal;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.support.stats.PublishedStatistics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** MTFTP's counters for metrics exporters and status pages: what {@code mtftp:stats} shows, registered while MTFTP runs. */
@Component(service = ProtocolStatistics.class)
public final class MtftpProtocolStatistics extends PublishedStatistics {

    @Activate
    public MtftpProtocolStatistics(@Reference MtftpMonitor monitor) {
        super(BootProtocol.MTFTP, monitor::counters, monitor::gauges);
    }
}

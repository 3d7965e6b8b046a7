package org.diskless.http.internal;

import java.util.Map;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.support.stats.PublishedStatistics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** HTTP's counters for metrics exporters and status pages, registered while the HTTP server runs. */
@Component(service = ProtocolStatistics.class)
public final class HttpProtocolStatistics extends PublishedStatistics {

    @Activate
    public HttpProtocolStatistics(@Reference HttpMonitor monitor) {
        super(BootProtocol.HTTP, monitor::counters, () -> Map.of("connections_open", (long) monitor.openConnections(),
                "transfers_active", (long) monitor.transfers().size()));
    }
}

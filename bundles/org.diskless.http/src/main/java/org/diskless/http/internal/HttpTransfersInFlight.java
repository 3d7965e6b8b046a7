package org.diskless.http.internal;

import java.util.List;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.TransferInFlight;
import org.diskless.api.stats.TransfersInFlight;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** HTTP's response bodies being sent, for status pages: what {@code http:transfers} shows, registered while HTTP runs. */
@Component(service = TransfersInFlight.class)
public final class HttpTransfersInFlight implements TransfersInFlight {

    private final HttpMonitor monitor;

    @Activate
    public HttpTransfersInFlight(@Reference HttpMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public BootProtocol protocol() {
        return BootProtocol.HTTP;
    }

    @Override
    public List<TransferInFlight> transfers() {
        return monitor.transfers().stream().map(t -> TransferInFlight.builder(BootProtocol.HTTP,
                t.client().getAddress().getHostAddress() + ":" + t.client().getPort(), t.file(), t.started())
                .bytesSent(t.bytesSent()).size(t.totalBytes()).build()).toList();
    }
}

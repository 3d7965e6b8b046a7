package org.diskless.http.internal;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.TransfersInFlight;
import org.diskless.support.stats.PublishedTransfers;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** HTTP's response bodies being sent, for status pages: what {@code http:transfers} shows, registered while HTTP runs. */
@Component(service = TransfersInFlight.class)
public final class HttpTransfersInFlight extends PublishedTransfers {

    @Activate
    public HttpTransfersInFlight(@Reference HttpMonitor monitor) {
        super(BootProtocol.HTTP, monitor::transfers);
    }
}

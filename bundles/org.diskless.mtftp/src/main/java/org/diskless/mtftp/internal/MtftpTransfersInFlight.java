package org.diskless.mtftp.internal;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.TransfersInFlight;
import org.diskless.support.stats.PublishedTransfers;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The RFC 2090 sessions running now, for status pages: what {@code mtftp:sessions} shows, registered while MTFTP runs. */
@Component(service = TransfersInFlight.class)
public final class MtftpTransfersInFlight extends PublishedTransfers {

    @Activate
    public MtftpTransfersInFlight(@Reference MtftpMonitor monitor) {
        super(BootProtocol.MTFTP, monitor::sessions);
    }
}

package org.diskless.tftp.internal;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.TransfersInFlight;
import org.diskless.support.stats.PublishedTransfers;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** TFTP's transfers running now, for status pages: what {@code tftp:transfers} shows, registered while TFTP runs. */
@Component(service = TransfersInFlight.class)
public final class TftpTransfersInFlight extends PublishedTransfers {

    @Activate
    public TftpTransfersInFlight(@Reference TftpMonitor monitor) {
        super(BootProtocol.TFTP, monitor::transfers);
    }
}

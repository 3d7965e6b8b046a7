package org.diskless.tftp.internal;

import java.util.List;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.TransferInFlight;
import org.diskless.api.stats.TransfersInFlight;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** TFTP's transfers running now, for status pages: what {@code tftp:transfers} shows, registered while TFTP runs. */
@Component(service = TransfersInFlight.class)
public final class TftpTransfersInFlight implements TransfersInFlight {

    private final TftpMonitor monitor;

    @Activate
    public TftpTransfersInFlight(@Reference TftpMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public BootProtocol protocol() {
        return BootProtocol.TFTP;
    }

    @Override
    public List<TransferInFlight> transfers() {
        return monitor.transfers().stream().map(t -> TransferInFlight.builder(BootProtocol.TFTP,
                t.client().getAddress().getHostAddress() + ":" + t.client().getPort(), t.file(), t.started())
                .bytesSent(t.bytesDone()).size(t.totalBytes()).build()).toList();
    }
}

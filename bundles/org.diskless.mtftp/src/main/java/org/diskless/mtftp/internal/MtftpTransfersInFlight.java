package org.diskless.mtftp.internal;

import java.time.Instant;
import java.util.List;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.TransferInFlight;
import org.diskless.api.stats.TransfersInFlight;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The RFC 2090 sessions running now, for status pages: what {@code mtftp:sessions} shows, one
 * transfer per session, its client the master of the moment. A session knows the bytes it put on
 * the wire, not how far each client got, so no size is given.
 */
@Component(service = TransfersInFlight.class)
public final class MtftpTransfersInFlight implements TransfersInFlight {

    private final MtftpMonitor monitor;

    @Activate
    public MtftpTransfersInFlight(@Reference MtftpMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public BootProtocol protocol() {
        return BootProtocol.MTFTP;
    }

    @Override
    public List<TransferInFlight> transfers() {
        Instant now = Instant.now();
        return monitor.sessions().stream().map(s -> TransferInFlight.builder(BootProtocol.MTFTP,
                s.master() + " (group " + s.group() + ")", s.file(), now.minus(s.age()))
                .bytesSent(s.bytesSent()).build()).toList();
    }
}

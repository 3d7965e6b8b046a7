package org.diskless.support.stats;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.TransferInFlight;
import org.diskless.api.stats.TransfersInFlight;

/**
 * A protocol's transfers running now as the {@link TransfersInFlight} service, read from the
 * protocol's server at each call. A protocol bundle registers it by a component that extends this
 * and names, in its constructor, where the running transfers come from; the component references
 * the server's monitor, so the service lives as long as the server does.
 */
public class PublishedTransfers implements TransfersInFlight {

    private final BootProtocol protocol;
    private final Supplier<? extends Collection<? extends RunningTransfer>> running;

    /** @param running the transfers running now, oldest first */
    protected PublishedTransfers(BootProtocol protocol,
                                 Supplier<? extends Collection<? extends RunningTransfer>> running) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.running = running;
    }

    @Override
    public final BootProtocol protocol() {
        return protocol;
    }

    @Override
    public final List<TransferInFlight> transfers() {
        return running.get().stream().map(t -> TransferInFlight.builder(protocol, t.clientName(), t.file(), t.started())
                .bytesSent(t.bytesSent()).size(t.totalBytes()).build()).toList();
    }
}

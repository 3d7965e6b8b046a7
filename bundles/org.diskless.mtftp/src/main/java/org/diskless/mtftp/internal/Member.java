package org.diskless.mtftp.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;

/**
 * A client of a round or session: where it is, what is known of it (its node, so that its events
 * land in the node's timeline), and since when it takes part.
 */
record Member(BootContext context, long joinedNanos) {

    InetSocketAddress address() {
        return context.client();
    }

    /** {@code address:port}, as the operator reads it. */
    String shown() {
        return address().getAddress().getHostAddress() + ":" + address().getPort();
    }

    void started(Services services, String detail) {
        report(services, BootEvent.Kind.FILE_STARTED, detail, 0);
    }

    void sent(Services services, String detail, long bytes) {
        report(services, BootEvent.Kind.FILE_SENT, detail, bytes);
    }

    void failed(Services services, String detail, long bytes) {
        report(services, BootEvent.Kind.FILE_FAILED, detail, bytes);
    }

    /** The client's open was answered with an ERROR instead of a place in a round. */
    void refused(Services services, String detail) {
        report(services, BootEvent.Kind.FILE_REFUSED, detail, 0);
    }

    private void report(Services services, BootEvent.Kind kind, String detail, long bytes) {
        Duration duration = kind == BootEvent.Kind.FILE_STARTED || kind == BootEvent.Kind.FILE_REFUSED ? Duration.ZERO
                : Duration.ofNanos(Math.max(0, services.clock().getAsLong() - joinedNanos));
        services.events().accept(BootEvent.builder(Instant.now(), BootProtocol.MTFTP, kind, address().getAddress())
                .hardwareAddress(context.hardwareAddress().orElse(null)).detail(detail).bytes(bytes)
                .duration(duration).build());
    }
}

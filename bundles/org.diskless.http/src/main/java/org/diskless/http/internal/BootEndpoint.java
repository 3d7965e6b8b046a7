package org.diskless.http.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

import org.diskless.api.boot.HttpBootEndpoint;

/** Where this server serves the boot root: the address and port it listens on. */
final class BootEndpoint implements HttpBootEndpoint {

    private final InetSocketAddress listening;

    BootEndpoint(InetSocketAddress listening) {
        this.listening = listening;
    }

    @Override
    public int port() {
        return listening.getPort();
    }

    @Override
    public Optional<InetAddress> address() {
        return Optional.of(listening.getAddress()).filter(a -> !a.isAnyLocalAddress());
    }

    @Override
    public String toString() {
        return "HTTP boot on " + listening;
    }
}

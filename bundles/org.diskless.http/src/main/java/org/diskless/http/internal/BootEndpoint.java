package org.diskless.http.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

import org.diskless.api.boot.HttpBootEndpoint;

/** Where this server serves the boot root: the address it listens on, or the client's boot server when it listens on all. */
final class BootEndpoint implements HttpBootEndpoint {

    private final InetSocketAddress listening;

    BootEndpoint(InetSocketAddress listening) {
        this.listening = listening;
    }

    @Override
    public URI baseUrl(InetAddress bootServer) {
        InetAddress host = listening.getAddress().isAnyLocalAddress() ? bootServer : listening.getAddress();
        try {
            return new URI("http", null, host.getHostAddress(), listening.getPort(), "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no URL for " + host + ":" + listening.getPort(), e);
        }
    }

    @Override
    public String toString() {
        return "HTTP boot on " + listening;
    }
}

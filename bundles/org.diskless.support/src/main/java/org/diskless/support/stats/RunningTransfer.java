package org.diskless.support.stats;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A transfer running now, as its protocol's own view of it tells it: what {@link PublishedTransfers}
 * publishes. A protocol's view of a transfer implements it.
 */
public interface RunningTransfer {

    /** Who receives it, as the protocol names it: {@link #name} of its address, or a multicast session's master. */
    String clientName();

    /** The file's name as the client asked for it. */
    String file();

    Instant started();

    /** Bytes sent so far (for an upload, received). */
    long bytesSent();

    /** The whole file's size in bytes, or a negative number when it is not known up front. */
    long totalBytes();

    /** A client's address and port as status pages and commands show them: {@code 192.0.2.7:2070}. */
    static String name(InetSocketAddress client) {
        return client.getAddress().getHostAddress() + ":" + client.getPort();
    }
}

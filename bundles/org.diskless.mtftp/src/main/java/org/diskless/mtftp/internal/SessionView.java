package org.diskless.mtftp.internal;

import java.time.Duration;
import java.time.Instant;

import org.diskless.support.stats.RunningTransfer;

/**
 * An RFC 2090 session as {@code mtftp:sessions} shows it; to status pages, a transfer to its master
 * of the moment. A session knows the bytes it put on the wire, not how far each client got, so its
 * size is not told.
 *
 * @param file       the file's path in the boot root
 * @param group      {@code group:port} the blocks go to
 * @param blockSize  the session's block size
 * @param master     the client asking for blocks now ({@code address:port}), or {@code -}
 * @param waiting    the other clients, waiting for their turn as master
 * @param blocksSent DATA packets sent, retransmissions included
 * @param bytesSent  bytes of every datagram sent, IP and UDP headers included
 * @param age        how long the session has run
 */
public record SessionView(String file, String group, int blockSize, String master, int waiting, long blocksSent,
                          long bytesSent, Duration age) implements RunningTransfer {

    @Override
    public String clientName() {
        return master + " (group " + group + ")";
    }

    @Override
    public Instant started() {
        return Instant.now().minus(age);
    }

    @Override
    public long totalBytes() {
        return -1;
    }
}

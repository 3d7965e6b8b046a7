package org.diskless.mtftp.internal;

import java.time.Duration;

/**
 * An RFC 2090 session as {@code mtftp:sessions} shows it.
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
                          long bytesSent, Duration age) {
}

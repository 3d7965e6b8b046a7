package org.diskless.mtftp.internal;

/**
 * A multicast file as {@code mtftp:groups} shows it.
 *
 * @param file         the name clients ask for
 * @param destination  {@code group:clientPort}
 * @param master       the current round's master ({@code address:port}), or {@code -}
 * @param listening    clients that opened during the current round and are not its master
 * @param capped       whether more opened than {@code listening} counts (beyond maxClientsPerFile)
 * @param blocksSent   DATA packets sent, to the group and to masters, retransmissions included
 * @param bytesSent    bytes of every datagram sent for the file, IP and UDP headers included
 * @param reopens      rounds started after the first
 */
public record GroupView(String file, String destination, String master, int listening, boolean capped,
                        long blocksSent, long bytesSent, long reopens) {
}

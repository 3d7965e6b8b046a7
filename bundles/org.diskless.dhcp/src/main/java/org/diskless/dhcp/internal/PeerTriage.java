package org.diskless.dhcp.internal;

import java.net.Inet4Address;

import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOptions;

import io.netty.buffer.ByteBuf;

/**
 * Picks out, from a raw datagram, the requests that a peer answers (RFC 3074: the client hashes
 * into a peer's buckets and has not waited for a takeover), so that a server with peers does not
 * decode the half of the broadcasts it drops. It reads the fixed header and walks the options in
 * place, without copying or allocating anything, and says "a peer's" only when the full path
 * ({@link org.diskless.dhcp.codec.DhcpDecoder}, then {@link DhcpProcessor#handle}) would say so
 * too: everything else, including every datagram the decoder refuses, a plain BOOTP request, and
 * the rare request that repeats option 53, 54 or 61 (RFC 3396 joins them), goes the full way as
 * before.
 */
final class PeerTriage {

    private static final int SECS_OFFSET = 8;
    private static final int CIADDR_OFFSET = 12;
    private static final int GIADDR_OFFSET = 24;
    private static final int CHADDR_OFFSET = 28;
    private static final int OPTIONS_OFFSET = DhcpDecoder.HEADER_SIZE + 4;
    private static final int BOOTREQUEST = 1;
    /** Nothing seen yet of an option. */
    private static final int ABSENT = -1;

    private PeerTriage() {
    }

    /**
     * The message type of a request that a peer answers; null when it is ours, or when only the
     * decoded message can tell.
     *
     * @param datagram    the datagram's content, from its reader index to its end; not moved
     * @param self        our address among the peers
     * @param toBroadcast whether the request came to a broadcast address rather than to us
     */
    static DhcpMessageType leftToPeer(ByteBuf datagram, LoadBalancer balancer, Inet4Address self,
                                      boolean toBroadcast) {
        int start = datagram.readerIndex();
        int end = start + datagram.readableBytes();
        if (end - start < OPTIONS_OFFSET || datagram.getInt(start + DhcpDecoder.HEADER_SIZE) != DhcpDecoder.MAGIC_COOKIE
                || datagram.getUnsignedByte(start) != BOOTREQUEST) {
            return null;
        }
        int hlen = datagram.getUnsignedByte(start + 2);
        if (hlen == 0 || hlen > DhcpMessage.CHADDR_SIZE) {
            return null;
        }
        int overload = 0;
        int typeAt = ABSENT;
        int typeLength = 0;
        int serverIdLength = ABSENT;
        int idAt = ABSENT;
        int idLength = 0;
        // The options field, then the file and sname fields when option 52 overloads them, in the
        // decoder's order and by its rules.
        for (int field = 0; field < 3; field++) {
            int from;
            int to;
            if (field == 0) {
                from = start + OPTIONS_OFFSET;
                to = end;
            } else if (field == 1) {
                if ((overload & DhcpDecoder.OVERLOAD_FILE) == 0) {
                    continue;
                }
                from = start + DhcpDecoder.FILE_OFFSET;
                to = from + DhcpMessage.FILE_SIZE;
            } else {
                if ((overload & DhcpDecoder.OVERLOAD_SNAME) == 0) {
                    continue;
                }
                from = start + DhcpDecoder.SNAME_OFFSET;
                to = from + DhcpMessage.SNAME_SIZE;
            }
            int i = from;
            while (i < to) {
                int code = datagram.getUnsignedByte(i);
                if (code == DhcpOptions.PAD) {
                    i++;
                    continue;
                }
                if (code == DhcpOptions.END) {
                    break;
                }
                int length = DhcpDecoder.valueLength(datagram, i, to);
                if (length < 0) {
                    return null;
                }
                switch (code) {
                    case DhcpOptions.OVERLOAD -> {
                        // Allowed once, in the options field.
                        if (field != 0 || overload != 0) {
                            return null;
                        }
                        overload = DhcpDecoder.overloadValue(datagram, i, length);
                        if (overload == 0) {
                            return null;
                        }
                    }
                    case DhcpOptions.MESSAGE_TYPE -> {
                        if (typeAt != ABSENT) {
                            return null;
                        }
                        typeAt = i + 2;
                        typeLength = length;
                    }
                    case DhcpOptions.SERVER_IDENTIFIER -> {
                        if (serverIdLength != ABSENT) {
                            return null;
                        }
                        serverIdLength = length;
                    }
                    case DhcpOptions.CLIENT_IDENTIFIER -> {
                        if (idAt != ABSENT) {
                            return null;
                        }
                        idAt = i + 2;
                        idLength = length;
                    }
                    default -> {
                        // Not read here; its bounds are checked above, as the decoder checks them.
                    }
                }
                i += 2 + length;
            }
        }
        // No option 53: a BOOTP request, which the buckets do not share. Not one byte: malformed.
        if (typeAt == ABSENT || typeLength != 1) {
            return null;
        }
        int typeCode = datagram.getUnsignedByte(typeAt);
        if (typeCode < 1 || typeCode > 8 || !DhcpMessageType.valueOf(typeCode).fromClient()) {
            return null;
        }
        DhcpMessageType type = DhcpMessageType.valueOf(typeCode);
        // The decoder leaves out an option 54 that is not 4 bytes, and an option 61 under 2.
        if (!balancer.bucketsDecide(type, serverIdLength == 4, datagram.getInt(start + CIADDR_OFFSET) != 0,
                datagram.getInt(start + GIADDR_OFFSET) != 0, toBroadcast)) {
            return null;
        }
        int bucket = idAt != ABSENT && idLength >= 2 ? ClientHash.hash(datagram, idAt, idLength)
                : ClientHash.hash(datagram, start + CHADDR_OFFSET, hlen);
        int secs = datagram.getUnsignedShort(start + SECS_OFFSET);
        return balancer.decide(bucket, secs, self).answered() ? null : type;
    }
}

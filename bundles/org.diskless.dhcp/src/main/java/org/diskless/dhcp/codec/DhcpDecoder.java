package org.diskless.dhcp.codec;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;

/**
 * Datagram to {@code AddressedEnvelope<DhcpMessage, InetSocketAddress>}. A datagram that is no
 * DHCP message raises {@link DhcpPacketException} naming its sender; the channel stays open.
 *
 * <p>What is refused and what is forgiven:
 * <ul>
 * <li>Refused: a header shorter than 236 bytes, an op other than
 * 1 or 2, hlen above 16, an option whose length byte or value runs past the end of its field,
 * option 52 (overload) repeated, of a wrong length or value, or found inside an overloaded field,
 * and option 53 (message type) that is not exactly one byte: without it we cannot tell what the
 * client wants.</li>
 * <li>Forgiven: a missing end option when the options stop exactly at the end of their field
 * (RFC 2131 only asks for the end option when there is room, and several ROMs leave it out);
 * bytes after the end option (padding); any other option of an impossible length (a 3-byte lease
 * time, an empty host name) is left out and named in {@link DhcpMessage#decodeNotes()}, so one
 * odd option does not cost the client its boot.</li>
 * </ul>
 * Options repeated are joined in order (RFC 3396), across the options, file and sname fields in
 * that order.
 *
 * <p>A vendor area that does not start with the magic cookie is a plain RFC 951 BOOTP message's:
 * its bytes mean whatever its vendor meant, so they are not read, and the message has no options
 * ({@link DhcpMessage#hasMagicCookie()} false); whether it held anything but zeros is kept, for the
 * format of the reply ({@link DhcpMessage#takesVendorExtensions()}).
 */
@Sharable
public final class DhcpDecoder extends MessageToMessageDecoder<DatagramPacket> {

    /** op … file: the fixed BOOTP header before the magic cookie. */
    public static final int HEADER_SIZE = 236;
    /** 99.130.83.99, the RFC 1497 magic cookie that starts the options. */
    public static final int MAGIC_COOKIE = 0x63825363;

    /** Where the sname and file fields start, each a field of options when option 52 overloads it. */
    public static final int SNAME_OFFSET = 44;
    public static final int FILE_OFFSET = SNAME_OFFSET + DhcpMessage.SNAME_SIZE;
    /** Option 52's bits: the file field, the sname field holds options. */
    public static final int OVERLOAD_FILE = 1;
    public static final int OVERLOAD_SNAME = 2;
    /** {@link #valueLength}: the option has no length byte before the end of its field. */
    public static final int NO_LENGTH_BYTE = -1;
    /** {@link #valueLength}: the option's value runs past the end of its field. */
    public static final int PAST_THE_END = -2;

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket datagram, List<Object> out) {
        InetSocketAddress sender = datagram.sender();
        DhcpMessage message = decode(datagram.content(), sender);
        out.add(new DefaultAddressedEnvelope<DhcpMessage, InetSocketAddress>(message, datagram.recipient(), sender));
    }

    /** Decodes a message without a sender to name (tests, captures). */
    public static DhcpMessage decode(ByteBuf in) {
        return decode(in, null);
    }

    /** Decodes one message; reads {@code in} to its end. */
    public static DhcpMessage decode(ByteBuf in, InetSocketAddress sender) {
        int size = in.readableBytes();
        if (size < HEADER_SIZE) {
            throw new DhcpPacketException(sender, "truncated header: datagram of " + size
                    + " bytes is shorter than the " + HEADER_SIZE + "-byte DHCP header");
        }
        int start = in.readerIndex();
        boolean cookie = size >= HEADER_SIZE + 4 && in.getInt(start + HEADER_SIZE) == MAGIC_COOKIE;
        int opCode = in.readUnsignedByte();
        if (opCode != 1 && opCode != 2) {
            throw new DhcpPacketException(sender, "bad op " + opCode + " (1 is a request, 2 a reply)");
        }
        int htype = in.readUnsignedByte();
        int hlen = in.readUnsignedByte();
        if (hlen > DhcpMessage.CHADDR_SIZE) {
            throw new DhcpPacketException(sender, "hlen " + hlen + " is longer than the 16-byte chaddr");
        }
        DhcpMessage.Builder message = DhcpMessage.builder()
                .magicCookie(cookie)
                .foreignVendorArea(!cookie && !isZeroBytes(in, start + HEADER_SIZE, start + size))
                .receivedSize(size)
                .op(DhcpOp.valueOf(opCode))
                .htype(htype)
                .hops(in.readUnsignedByte())
                .xid(in.readInt())
                .secs(in.readUnsignedShort())
                .flags(in.readUnsignedShort())
                .ciaddr(DhcpOptions.toAddress(in.readInt()))
                .yiaddr(DhcpOptions.toAddress(in.readInt()))
                .siaddr(DhcpOptions.toAddress(in.readInt()))
                .giaddr(DhcpOptions.toAddress(in.readInt()));
        byte[] chaddr = new byte[DhcpMessage.CHADDR_SIZE];
        in.readBytes(chaddr);
        message.chaddr(chaddr, hlen);
        int sname = start + SNAME_OFFSET;
        int file = start + FILE_OFFSET;
        int end = start + size;

        // Options are read in place, each value copied once; a repeated code is joined (RFC 3396).
        DhcpOptions.Builder options = DhcpOptions.builder();
        int overload = cookie ? readField(in, start + HEADER_SIZE + 4, end, "options", options, true, sender) : 0;
        if ((overload & OVERLOAD_FILE) != 0) {
            readField(in, file, file + DhcpMessage.FILE_SIZE, "overloaded file field", options, false, sender);
        } else if (!isZero(in, file, DhcpMessage.FILE_SIZE)) {
            message.fileBytes(bytes(in, file, DhcpMessage.FILE_SIZE));
        }
        if ((overload & OVERLOAD_SNAME) != 0) {
            readField(in, sname, sname + DhcpMessage.SNAME_SIZE, "overloaded sname field", options, false, sender);
        } else if (!isZero(in, sname, DhcpMessage.SNAME_SIZE)) {
            message.snameBytes(bytes(in, sname, DhcpMessage.SNAME_SIZE));
        }
        in.readerIndex(end);
        List<String> notes = leaveOutBadLengths(options, sender);
        return message.options(options.build()).decodeNotes(notes).build();
    }

    /**
     * Reads options from {@code from} up to end (or {@code to}); returns the overload value seen,
     * 0 if none. The DHCP server's triage of its peers' broadcasts (PeerTriage) walks the raw
     * options by the same rules ({@link #valueLength}, {@link #overloadValue}), so that what this
     * refuses it leaves to this decoder: a change here is a change there.
     */
    private static int readField(ByteBuf in, int from, int to, String name, DhcpOptions.Builder out, boolean main,
                                 InetSocketAddress sender) {
        int overload = 0;
        int i = from;
        while (i < to) {
            int code = in.getUnsignedByte(i);
            if (code == DhcpOptions.PAD) {
                i++;
                continue;
            }
            if (code == DhcpOptions.END) {
                break;
            }
            int length = valueLength(in, i, to);
            if (length == NO_LENGTH_BYTE) {
                throw new DhcpPacketException(sender, "option " + code + " has no length byte at the end of the " + name);
            }
            if (length == PAST_THE_END) {
                throw new DhcpPacketException(sender, "option " + code + " of length " + in.getUnsignedByte(i + 1)
                        + " runs past the end of the " + name + " (" + (to - i - 2) + " bytes left)");
            }
            if (code == DhcpOptions.OVERLOAD) {
                if (!main) {
                    throw new DhcpPacketException(sender, "option 52 (overload) inside the " + name
                            + ": an overloaded field cannot overload again");
                }
                if (overload != 0) {
                    throw new DhcpPacketException(sender, "option 52 (overload) repeated: each field is overloaded once");
                }
                int value = overloadValue(in, i, length);
                if (value == 0) {
                    throw new DhcpPacketException(sender, "option 52 (overload) must be one byte 1-3 (file, sname, both)");
                }
                overload = value;
            } else {
                out.append(code, bytes(in, i + 2, length));
            }
            i += 2 + length;
        }
        return overload;
    }

    /**
     * The length of the value of the option at {@code i} (neither PAD nor END) in a field that
     * ends at {@code to}, or why it has none: {@link #NO_LENGTH_BYTE}, {@link #PAST_THE_END}.
     */
    public static int valueLength(ByteBuf in, int i, int to) {
        if (i + 1 >= to) {
            return NO_LENGTH_BYTE;
        }
        int length = in.getUnsignedByte(i + 1);
        return i + 2 + length > to ? PAST_THE_END : length;
    }

    /**
     * The value of the option 52 at {@code i}, whose value has {@code length} bytes: 1 (file), 2
     * (sname) or 3 (both); 0 when it is not one byte of those.
     */
    public static int overloadValue(ByteBuf in, int i, int length) {
        // The length first: a zero-length option 52 may end the datagram, with no value byte to read.
        int value = length == 1 ? in.getUnsignedByte(i + 2) : 0;
        return value >= 1 && value <= 3 ? value : 0;
    }

    /** Drops the joined options of an impossible length, naming each; a bad message type refuses the message. */
    private static List<String> leaveOutBadLengths(DhcpOptions.Builder options, InetSocketAddress sender) {
        List<String> notes = List.of();
        int i = 0;
        while (i < options.size()) {
            int code = options.codeAt(i);
            String problem = DhcpOptions.lengthProblem(code, options.valueAt(i).length);
            if (problem == null) {
                i++;
            } else if (code == DhcpOptions.MESSAGE_TYPE) {
                throw new DhcpPacketException(sender, "bad message type: " + problem);
            } else {
                if (notes.isEmpty()) {
                    notes = new ArrayList<>();
                }
                notes.add("left out " + problem);
                options.removeAt(i);
            }
        }
        return notes;
    }

    private static byte[] bytes(ByteBuf in, int index, int length) {
        byte[] value = new byte[length];
        in.getBytes(index, value);
        return value;
    }

    /** Whether every byte in [from, to) is zero; for fields of any length. */
    private static boolean isZeroBytes(ByteBuf in, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.getByte(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(ByteBuf in, int index, int length) {
        for (int i = index; i < index + length; i += 8) {
            if (in.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }
}

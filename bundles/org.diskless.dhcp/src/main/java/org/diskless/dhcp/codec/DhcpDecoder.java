package org.diskless.dhcp.codec;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * <li>Refused: a header shorter than 236 bytes, a missing or wrong magic cookie, an op other than
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
 */
@Sharable
public final class DhcpDecoder extends MessageToMessageDecoder<DatagramPacket> {

    /** op … file: the fixed BOOTP header before the magic cookie. */
    public static final int HEADER_SIZE = 236;
    /** 99.130.83.99, the RFC 1497 magic cookie that starts the options. */
    public static final int MAGIC_COOKIE = 0x63825363;

    private static final int OVERLOAD_FILE = 1;
    private static final int OVERLOAD_SNAME = 2;

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
        if (size < HEADER_SIZE + 4) {
            throw new DhcpPacketException(sender, "bad magic cookie: datagram ends after the header (BOOTP without DHCP)");
        }
        int cookie = in.getInt(in.readerIndex() + HEADER_SIZE);
        if (cookie != MAGIC_COOKIE) {
            throw new DhcpPacketException(sender, String.format("bad magic cookie %d.%d.%d.%d (DHCP uses 99.130.83.99)",
                    cookie >>> 24, cookie >> 16 & 0xFF, cookie >> 8 & 0xFF, cookie & 0xFF));
        }
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
                .op(DhcpOp.valueOf(opCode))
                .htype(htype)
                .hops(in.readUnsignedByte())
                .xid(in.readInt())
                .secs(in.readUnsignedShort())
                .flags(in.readUnsignedShort())
                .ciaddr(readAddress(in))
                .yiaddr(readAddress(in))
                .siaddr(readAddress(in))
                .giaddr(readAddress(in));
        byte[] chaddr = new byte[DhcpMessage.CHADDR_SIZE];
        in.readBytes(chaddr);
        message.chaddr(chaddr, hlen);
        byte[] sname = new byte[DhcpMessage.SNAME_SIZE];
        in.readBytes(sname);
        byte[] file = new byte[DhcpMessage.FILE_SIZE];
        in.readBytes(file);
        in.skipBytes(4); // the cookie

        List<Instance> instances = new ArrayList<>();
        byte[] main = new byte[in.readableBytes()];
        in.readBytes(main);
        int overload = readField(main, "options", instances, true, sender);
        if ((overload & OVERLOAD_FILE) != 0) {
            readField(file, "overloaded file field", instances, false, sender);
        } else {
            message.fileBytes(file);
        }
        if ((overload & OVERLOAD_SNAME) != 0) {
            readField(sname, "overloaded sname field", instances, false, sender);
        } else {
            message.snameBytes(sname);
        }
        List<String> notes = new ArrayList<>();
        message.options(join(instances, notes, sender));
        return message.decodeNotes(notes).build();
    }

    private record Instance(int code, byte[] value) {
    }

    /** Reads options up to end (or the end of the field); returns the overload value seen, 0 if none. */
    private static int readField(byte[] field, String name, List<Instance> out, boolean main, InetSocketAddress sender) {
        int overload = 0;
        int i = 0;
        while (i < field.length) {
            int code = field[i] & 0xFF;
            if (code == DhcpOptions.PAD) {
                i++;
                continue;
            }
            if (code == DhcpOptions.END) {
                break;
            }
            if (i + 1 >= field.length) {
                throw new DhcpPacketException(sender, "option " + code + " has no length byte at the end of the " + name);
            }
            int length = field[i + 1] & 0xFF;
            if (i + 2 + length > field.length) {
                throw new DhcpPacketException(sender, "option " + code + " of length " + length
                        + " runs past the end of the " + name + " (" + (field.length - i - 2) + " bytes left)");
            }
            if (code == DhcpOptions.OVERLOAD) {
                if (!main) {
                    throw new DhcpPacketException(sender, "option 52 (overload) inside the " + name
                            + ": an overloaded field cannot overload again");
                }
                if (overload != 0) {
                    throw new DhcpPacketException(sender, "option 52 (overload) repeated: each field is overloaded once");
                }
                if (length != 1 || field[i + 2] < 1 || field[i + 2] > 3) {
                    throw new DhcpPacketException(sender, "option 52 (overload) must be one byte 1-3 (file, sname, both)");
                }
                overload = field[i + 2];
            } else {
                byte[] value = new byte[length];
                System.arraycopy(field, i + 2, value, 0, length);
                out.add(new Instance(code, value));
            }
            i += 2 + length;
        }
        return overload;
    }

    private static DhcpOptions join(List<Instance> instances, List<String> notes, InetSocketAddress sender) {
        Map<Integer, ByteArrayOutputStream> joined = new LinkedHashMap<>();
        for (Instance instance : instances) {
            joined.computeIfAbsent(instance.code(), code -> new ByteArrayOutputStream()).writeBytes(instance.value());
        }
        DhcpOptions.Builder options = DhcpOptions.builder();
        joined.forEach((code, value) -> {
            String problem = DhcpOptions.lengthProblem(code, value.size());
            if (problem == null) {
                options.put(code, value.toByteArray());
            } else if (code == DhcpOptions.MESSAGE_TYPE) {
                throw new DhcpPacketException(sender, "bad message type: " + problem);
            } else {
                notes.add("left out " + problem);
            }
        });
        return options.build();
    }

    private static Inet4Address readAddress(ByteBuf in) {
        byte[] bytes = new byte[4];
        in.readBytes(bytes);
        return DhcpMessage.address(bytes);
    }
}

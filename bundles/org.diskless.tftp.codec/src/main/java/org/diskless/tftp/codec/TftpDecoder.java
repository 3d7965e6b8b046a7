package org.diskless.tftp.codec;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diskless.support.log.Printable;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;

/**
 * Datagram to {@code AddressedEnvelope<TftpPacket, InetSocketAddress>}. A datagram that is no
 * TFTP packet raises {@link TftpPacketException} naming its sender; the channel stays open.
 */
@Sharable
public final class TftpDecoder extends MessageToMessageDecoder<DatagramPacket> {

    /** Largest datagram we accept: a 65464-byte block plus its 4-byte header. */
    public static final int MAX_PACKET_SIZE = 65468;

    /** RFC 2347 allows many options, but a request is a few hundred bytes; more is abuse. */
    static final int MAX_OPTIONS = 32;

    /** How much of an option name from the network an error message quotes (escaped: it may hold anything). */
    private static final int MAX_NAME_SHOWN = 32;

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket datagram, List<Object> out) {
        InetSocketAddress sender = datagram.sender();
        TftpPacket packet = decode(datagram.content(), sender);
        out.add(new DefaultAddressedEnvelope<TftpPacket, InetSocketAddress>(packet, datagram.recipient(), sender));
    }

    /** Decodes one packet; DATA keeps a retained slice of {@code in}. */
    public static TftpPacket decode(ByteBuf in, InetSocketAddress sender) {
        if (in.readableBytes() < 2) {
            throw new TftpPacketException(sender, false, "datagram of " + in.readableBytes()
                    + " bytes is shorter than a TFTP opcode");
        }
        if (in.readableBytes() > MAX_PACKET_SIZE) {
            throw new TftpPacketException(sender, false, "datagram of " + in.readableBytes()
                    + " bytes is larger than any TFTP packet");
        }
        int code = in.readUnsignedShort();
        return switch (code) {
            case 1, 2 -> readRequest(in, code == 1 ? TftpOpcode.RRQ : TftpOpcode.WRQ, sender);
            case 3 -> {
                requireAtLeast(in, 2, "DATA", sender);
                int block = in.readUnsignedShort();
                yield new TftpData(block, in.readRetainedSlice(in.readableBytes()));
            }
            case 4 -> {
                requireAtLeast(in, 2, "ACK", sender);
                yield new TftpAck(in.readUnsignedShort()); // trailing padding from some ROMs is ignored
            }
            case 5 -> {
                if (in.readableBytes() < 2) {
                    throw new TftpPacketException(sender, true, "ERROR packet without an error code");
                }
                int errorCode = in.readUnsignedShort();
                // Some clients omit the terminating NUL: the message is whatever is there.
                int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
                String message = in.toString(in.readerIndex(), (end < 0 ? in.writerIndex() : end) - in.readerIndex(),
                        StandardCharsets.UTF_8);
                in.skipBytes(in.readableBytes());
                yield new TftpError(errorCode, message);
            }
            case 6 -> {
                Map<String, String> options = readOptions(in, "OACK", sender);
                if (options.isEmpty()) {
                    throw new TftpPacketException(sender, false, "OACK without options");
                }
                yield new TftpOptionAck(options);
            }
            default -> throw new TftpPacketException(sender, false, "unknown TFTP opcode " + code);
        };
    }

    private static TftpRequest readRequest(ByteBuf in, TftpOpcode opcode, InetSocketAddress sender) {
        String filename = readString(in, opcode + " file name", sender);
        String mode = readString(in, opcode + " mode", sender);
        return new TftpRequest(opcode, filename, mode, readOptions(in, opcode.name(), sender));
    }

    private static Map<String, String> readOptions(ByteBuf in, String what, InetSocketAddress sender) {
        Map<String, String> options = new LinkedHashMap<>();
        int count = 0;
        while (in.isReadable()) {
            if (in.getByte(in.readerIndex()) == 0 && in.readableBytes() == 1) {
                in.skipBytes(1); // a stray trailing NUL, sent by some PXE ROMs
                break;
            }
            String name = readString(in, what + " option name", sender);
            String value = readString(in, what + " value of option '" + Printable.of(name, MAX_NAME_SHOWN) + "'",
                    sender);
            if (++count > MAX_OPTIONS) {
                throw new TftpPacketException(sender, false, what + " carries more than " + MAX_OPTIONS + " options");
            }
            options.putIfAbsent(name, value);
        }
        return options;
    }

    private static String readString(ByteBuf in, String what, InetSocketAddress sender) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new TftpPacketException(sender, false, what + " is not NUL-terminated");
        }
        String value = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
        in.readerIndex(end + 1);
        return value;
    }

    private static void requireAtLeast(ByteBuf in, int bytes, String what, InetSocketAddress sender) {
        if (in.readableBytes() < bytes) {
            throw new TftpPacketException(sender, false, what + " packet truncated");
        }
    }
}

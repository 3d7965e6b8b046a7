package org.diskless.tftp.codec;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;

/** {@code AddressedEnvelope<TftpPacket, InetSocketAddress>} to a datagram. */
@Sharable
public final class TftpEncoder extends MessageToMessageEncoder<AddressedEnvelope<TftpPacket, InetSocketAddress>> {

    /** Opcode and block number in front of every DATA payload. */
    public static final int DATA_HEADER_SIZE = 4;

    /**
     * Only envelopes of TFTP packets: a {@link DatagramPacket} already encoded (such as a DATA
     * block written straight from the file, see {@link #writeDataHeader}) passes through.
     */
    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof AddressedEnvelope<?, ?> envelope && envelope.content() instanceof TftpPacket;
    }

    /**
     * Writes the header of a DATA packet, so a sender can read the payload from the file straight
     * behind it and send the buffer as it is, without the copy {@link #encode} makes.
     */
    public static ByteBuf writeDataHeader(ByteBuf out, int block) {
        return out.writeShort(TftpOpcode.DATA.code()).writeShort(TftpData.checkBlock(block));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, AddressedEnvelope<TftpPacket, InetSocketAddress> envelope,
                          List<Object> out) {
        ByteBuf encoded = encode(ctx.alloc(), envelope.content());
        out.add(new DatagramPacket(encoded, envelope.recipient(), envelope.sender()));
    }

    /** Encodes one packet into a new buffer; the caller keeps ownership of {@code packet}. */
    public static ByteBuf encode(ByteBufAllocator alloc, TftpPacket packet) {
        if (packet instanceof TftpData data) {
            ByteBuf payload = data.content();
            ByteBuf out = alloc.directBuffer(DATA_HEADER_SIZE + payload.readableBytes());
            writeDataHeader(out, data.block());
            out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            return out;
        }
        ByteBuf out = alloc.buffer(64);
        out.writeShort(packet.opcode().code());
        if (packet instanceof TftpRequest request) {
            writeString(out, request.filename());
            writeString(out, request.mode());
            writeOptions(out, request.options());
        } else if (packet instanceof TftpAck ack) {
            out.writeShort(ack.block());
        } else if (packet instanceof TftpError error) {
            out.writeShort(error.code());
            writeString(out, error.message());
        } else if (packet instanceof TftpOptionAck oack) {
            writeOptions(out, oack.options());
        }
        return out;
    }

    private static void writeOptions(ByteBuf out, Map<String, String> options) {
        options.forEach((name, value) -> {
            writeString(out, name);
            writeString(out, value);
        });
    }

    private static void writeString(ByteBuf out, String value) {
        ByteBufUtil.writeUtf8(out, value);
        out.writeByte(0);
    }
}

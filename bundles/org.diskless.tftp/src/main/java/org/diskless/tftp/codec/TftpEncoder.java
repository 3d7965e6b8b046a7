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
            ByteBuf out = alloc.directBuffer(4 + payload.readableBytes());
            out.writeShort(TftpOpcode.DATA.code()).writeShort(data.block());
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

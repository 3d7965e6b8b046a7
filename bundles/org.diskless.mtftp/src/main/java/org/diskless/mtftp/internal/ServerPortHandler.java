package org.diskless.mtftp.internal;

import java.net.InetSocketAddress;

import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOpcode;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpPacketException;
import org.diskless.tftp.codec.TftpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * A PXE MTFTP server port: read requests open a file's transfer; anything else gets the ERROR
 * RFC 1350 prescribes, and a bad datagram never closes the port.
 */
final class ServerPortHandler extends SimpleChannelInboundHandler<AddressedEnvelope<TftpPacket, InetSocketAddress>> {

    private static final Logger LOG = LoggerFactory.getLogger(ServerPortHandler.class);
    private static final TftpDecoder DECODER = new TftpDecoder();

    private final int port;
    private final PxeFiles files;
    private final Services services;

    ServerPortHandler(int port, PxeFiles files, Services services) {
        this.port = port;
        this.files = files;
        this.services = services;
    }

    /** Decoder and this handler, for the port's channel. */
    ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(DECODER, ServerPortHandler.this);
            }
        };
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AddressedEnvelope<TftpPacket, InetSocketAddress> msg) {
        InetSocketAddress client = msg.sender();
        TftpPacket packet = msg.content();
        if (packet instanceof TftpRequest request && request.opcode() == TftpOpcode.RRQ) {
            files.request(port, client, request, ctx.channel());
        } else if (packet instanceof TftpRequest) {
            PxeFiles.error(services, ctx.channel(), client, TftpErrorCode.ACCESS_VIOLATION, "MTFTP only sends files");
        } else if (packet instanceof TftpError || packet.opcode() == TftpOpcode.OACK) {
            services.counters().strangerPackets.increment();
        } else {
            services.counters().strangerPackets.increment();
            PxeFiles.error(services, ctx.channel(), client, TftpErrorCode.UNKNOWN_TRANSFER_ID, "unknown transfer ID");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TftpPacketException bad) {
            services.counters().malformedPackets.increment();
            if (!bad.wasErrorPacket() && bad.sender() != null) {
                PxeFiles.error(services, ctx.channel(), bad.sender(), TftpErrorCode.ILLEGAL_OPERATION, bad.getMessage());
            }
            return;
        }
        // Never close a server port over one packet.
        services.throttle().warn(LOG, "server port", "Unexpected error on MTFTP server port {}: {}", port,
                cause.toString());
    }
}

package org.diskless.mtftp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpEncoder;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpPacketException;
import org.diskless.tftp.codec.TftpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The port a file is sent to a group from: its transfer ID, the source every client checks the
 * blocks' address (and, under RFC 2090, port) against, and where masters send their ACKs. What
 * arrives goes to the port's {@link Receiver}; whatever arrives, the port stays open until its
 * owner closes it. Confined to its event loop.
 */
final class GroupPort extends SimpleChannelInboundHandler<AddressedEnvelope<TftpPacket, InetSocketAddress>> {

    private static final Logger LOG = LoggerFactory.getLogger(GroupPort.class);

    /** Who the port's packets are for. */
    interface Receiver {
        void onRequest(InetSocketAddress from, TftpRequest request);

        void onAck(InetSocketAddress from, int block);

        void onError(InetSocketAddress from, TftpError error);
    }

    private final Services services;
    private final String name;
    private Receiver receiver;
    private Channel channel;
    private boolean closed;

    /** @param name what the log calls the port, e.g. the file's name */
    GroupPort(Services services, String name) {
        this.services = services;
        this.name = name;
    }

    /** Who the port's packets go to; set once, before the port is bound. */
    GroupPort receiving(Receiver to) {
        this.receiver = to;
        return this;
    }

    /** Called on the event loop once the port is bound. */
    void bound(Channel bound) {
        this.channel = bound;
        if (closed) {
            bound.close();
        }
    }

    Channel channel() {
        return channel;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AddressedEnvelope<TftpPacket, InetSocketAddress> msg) {
        if (closed) {
            return;
        }
        TftpPacket packet = msg.content();
        if (packet instanceof TftpAck ack) {
            receiver.onAck(msg.sender(), ack.block());
        } else if (packet instanceof TftpError error) {
            receiver.onError(msg.sender(), error);
        } else if (packet instanceof TftpRequest request) {
            receiver.onRequest(msg.sender(), request);
        } else {
            services.counters().strangerPackets.increment();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TftpPacketException) {
            services.counters().malformedPackets.increment();
        } else if (!(cause instanceof PortUnreachableException)) {
            // One client's packet never ends a transfer many clients share.
            services.throttle().warn(LOG, "group port", "Unexpected error on the MTFTP port of {}: {}", name,
                    cause.toString());
        }
    }

    /**
     * Sends {@code block} of {@code content} to {@code group}, and first to {@code alsoTo} unless it
     * is null: a client that opened reads its unicast socket first, and takes a group copy that
     * comes first as a sign that someone else is master.
     *
     * @return the bytes of one copy of the packet
     * @throws IOException when the block cannot be read; nothing was sent
     */
    int sendBlock(GroupContent content, int block, InetSocketAddress group, InetSocketAddress alsoTo)
            throws IOException {
        ByteBuf packet = content.packet(block, channel.alloc());
        int bytes = packet.readableBytes();
        if (alsoTo != null) {
            channel.write(new DatagramPacket(packet.retainedDuplicate(), alsoTo));
        }
        channel.writeAndFlush(new DatagramPacket(packet, group));
        return bytes;
    }

    /** Sends an OACK or ERROR to one client; returns its bytes. */
    int sendTo(TftpPacket packet, InetSocketAddress to) {
        ByteBuf encoded = TftpEncoder.encode(channel.alloc(), packet);
        int bytes = encoded.readableBytes();
        channel.writeAndFlush(new DatagramPacket(encoded, to));
        return bytes;
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return channel.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }
}

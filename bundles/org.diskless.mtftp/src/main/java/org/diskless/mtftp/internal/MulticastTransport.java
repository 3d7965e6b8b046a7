package org.diskless.mtftp.internal;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * The sockets under MTFTP, all on one event loop, so that every file's rounds and every session
 * change state on one thread, without locks: a round sends one block per acknowledgement, far
 * from what one thread can do. Epoll where Netty's native library loads, NIO elsewhere; IPv4
 * channels either way, since the multicast options are set per address family.
 */
final class MulticastTransport {

    /** Clients send requests, ACKs and ERRORs: a few hundred bytes. */
    private static final int RECEIVE_BUFFER = 2048;

    private final String name;
    private final EventLoopGroup group;
    private final Supplier<DatagramChannel> channels;

    private MulticastTransport(String name, EventLoopGroup group, Supplier<DatagramChannel> channels) {
        this.name = name;
        this.group = group;
        this.channels = channels;
    }

    static MulticastTransport choose(ThreadFactory threads) {
        if (Epoll.isAvailable()) {
            return new MulticastTransport("epoll", new EpollEventLoopGroup(1, threads),
                    () -> new EpollDatagramChannel(InternetProtocolFamily.IPv4));
        }
        return new MulticastTransport("NIO (epoll unavailable: " + Epoll.unavailabilityCause() + ")",
                new NioEventLoopGroup(1, threads), () -> new NioDatagramChannel(InternetProtocolFamily.IPv4));
    }

    String name() {
        return name;
    }

    EventLoopGroup group() {
        return group;
    }

    /** The one event loop every MTFTP channel runs on. */
    EventLoop loop() {
        return group.next();
    }

    /** A server port, bound alone (no address reuse: a second server there would take half the requests). */
    ChannelFuture bindServerPort(InetSocketAddress address, ChannelHandler handler) {
        return bootstrap(handler).bind(address);
    }

    /**
     * A port of its own for one round or session (its transfer ID), on an ephemeral port of
     * {@code settings.address()}, sending to groups by the configured interface and TTL, and never
     * to this host's own sockets.
     */
    ChannelFuture bindGroupPort(MtftpSettings settings, Optional<NetworkInterface> nic, ChannelHandler handler) {
        Bootstrap bootstrap = bootstrap(handler)
                .option(ChannelOption.IP_MULTICAST_TTL, settings.ttl())
                .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, true);
        nic.ifPresent(n -> bootstrap.option(ChannelOption.IP_MULTICAST_IF, n));
        return bootstrap.bind(new InetSocketAddress(settings.address(), 0));
    }

    private Bootstrap bootstrap(ChannelHandler handler) {
        ChannelFactory<DatagramChannel> factory = channels::get;
        return new Bootstrap()
                .group(group)
                .channelFactory(factory)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                .handler(handler);
    }
}

package org.diskless.dhcp.internal;

import java.util.concurrent.ThreadFactory;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * The socket layer under the DHCP server: one event loop and the channel type that runs on it.
 * On Linux, where Netty's native library loads, it is epoll, and a channel takes up to
 * {@link #DATAGRAMS_PER_READ} waiting requests with one {@code recvmmsg(2)}; with the replies
 * leaving together ({@link BatchedSender}, one {@code sendmmsg(2)}), a busy server makes a few
 * system calls per burst instead of two per message, which on a virtual machine was about half
 * of its cpu. Everywhere else it is NIO, one datagram per call, with the same behaviour on the wire.
 */
final class DhcpTransport {

    /** Requests one read takes at most; a boot storm queues more than this between two reads. */
    static final int DATAGRAMS_PER_READ = 16;

    private final String name;
    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelType;
    private final boolean readsMany;

    private DhcpTransport(String name, EventLoopGroup group, Class<? extends DatagramChannel> channelType,
                          boolean readsMany) {
        this.name = name;
        this.group = group;
        this.channelType = channelType;
        this.readsMany = readsMany;
    }

    /** Epoll when its native library loads here, NIO otherwise (the reason goes to {@link #name}). */
    static DhcpTransport choose(ThreadFactory threadFactory) {
        if (Epoll.isAvailable()) {
            return new DhcpTransport("epoll", new EpollEventLoopGroup(1, threadFactory), EpollDatagramChannel.class,
                    true);
        }
        return new DhcpTransport("NIO (epoll unavailable: " + Epoll.unavailabilityCause() + ")",
                new NioEventLoopGroup(1, threadFactory), NioDatagramChannel.class, false);
    }

    /** What the operator reads in the log and in {@code dhcp:stats}. */
    String name() {
        return name;
    }

    /** The one event loop. */
    EventLoopGroup group() {
        return group;
    }

    Class<? extends DatagramChannel> channelType() {
        return channelType;
    }

    /**
     * Sets how {@code channel} reads: datagrams of up to {@code maxDatagram} bytes, several per
     * system call where the transport can. A longer datagram is cut to that size, with either
     * transport.
     */
    void configureReads(DatagramChannel channel, int maxDatagram) {
        if (readsMany) {
            // Netty's epoll channel uses recvmmsg when one read buffer holds several datagrams of
            // the configured maximum payload, each slot one datagram.
            channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagram);
            channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(maxDatagram * DATAGRAMS_PER_READ));
        } else {
            channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(maxDatagram));
        }
    }
}

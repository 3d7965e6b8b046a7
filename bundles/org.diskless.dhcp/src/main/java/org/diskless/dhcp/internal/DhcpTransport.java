package org.diskless.dhcp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.RawUnixChannelOption;

/**
 * The socket layer under the DHCP server: one event loop and the channel type that runs on it.
 * On Linux, where Netty's native library loads, it is epoll, and a channel takes up to
 * {@link #DATAGRAMS_PER_READ} waiting requests with one {@code recvmmsg(2)}; with the replies
 * leaving together ({@link BatchedSender}, one {@code sendmmsg(2)}), a busy server makes a few
 * system calls per burst instead of two per message (on NIO, the kernel's part of those calls was
 * about a third of the server's cpu in a lab profile on a virtual machine). Everywhere else it is
 * NIO, one datagram per call, with the same behaviour on the wire.
 */
record DhcpTransport(String name, EventLoopGroup group, Class<? extends DatagramChannel> channelType,
                     boolean readsMany) {

    /** Linux's SO_BINDTODEVICE (SOL_SOCKET = 1, option 25) with the interface name, NUL-padded to IFNAMSIZ. */
    private static final int IFNAMSIZ = 16;
    private static final RawUnixChannelOption SO_BINDTODEVICE = new RawUnixChannelOption("SO_BINDTODEVICE", 1, 25,
            IFNAMSIZ);

    /** Requests one read takes at most; a boot storm queues more than this between two reads. */
    static final int DATAGRAMS_PER_READ = 16;

    /**
     * Epoll when its native library loads here, NIO otherwise. The name is what the operator
     * reads in the log and in {@code dhcp:stats}; for NIO it says why epoll is not available.
     * The group has the one event loop.
     */
    static DhcpTransport choose(ThreadFactory threadFactory) {
        if (Epoll.isAvailable()) {
            return new DhcpTransport("epoll", new EpollEventLoopGroup(1, threadFactory), EpollDatagramChannel.class,
                    true);
        }
        return new DhcpTransport("NIO (epoll unavailable: " + Epoll.unavailabilityCause() + ")",
                new NioEventLoopGroup(1, threadFactory), NioDatagramChannel.class, false);
    }

    /**
     * Which socket in {@code /proc/net/udp} {@code channel} is; empty on NIO, whose channels do not
     * show their file descriptor.
     */
    Optional<Long> inode(Channel channel) {
        return channel instanceof EpollDatagramChannel epoll ? UdpListeners.inodeOf(epoll.fd().intValue())
                : Optional.empty();
    }

    /** Whether a socket can be bound to one interface (SO_BINDTODEVICE): on epoll. */
    boolean bindsToDevice() {
        return readsMany;
    }

    /** Binds the sockets {@code bootstrap} makes to interface {@code name}: they receive what arrives there only. */
    void bindToDevice(Bootstrap bootstrap, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (!readsMany || bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("cannot bind to interface " + name + " on " + this.name);
        }
        ByteBuffer value = ByteBuffer.allocateDirect(IFNAMSIZ);
        value.put(bytes).position(0);
        bootstrap.option(SO_BINDTODEVICE, value);
    }

    /**
     * Makes the sockets {@code bootstrap} makes tell where each datagram was sent (its
     * {@code recipient()}: 255.255.255.255 for a broadcast) rather than the socket's own address.
     * On NIO they cannot, and recipient() stays the socket's address.
     */
    void recordDestination(Bootstrap bootstrap) {
        if (readsMany) {
            bootstrap.option(EpollChannelOption.IP_RECVORIGDSTADDR, true);
        }
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

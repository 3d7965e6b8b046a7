package org.diskless.tftp.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * The socket layer under the TFTP server. On Linux, where Netty's native library loads, it is
 * epoll: a window of blocks leaves with one {@code sendmmsg(2)} instead of one system call per
 * block, and where the kernel segments UDP itself ({@code UDP_SEGMENT}, Linux 4.18) a run of
 * same-sized blocks goes down the IP stack once, as one train the kernel cuts into datagrams at
 * the last moment. Everywhere else it is NIO, with the same behaviour on the wire.
 */
final class DatagramTransport {

    /** IPv4 and UDP headers in front of each datagram's payload. */
    private static final int IPV4_UDP_HEADERS = 20 + 8;
    private static final int IPV6_UDP_HEADERS = 40 + 8;
    /**
     * How long an interface's MTU is taken as known: looking it up costs about 50 us (the JDK
     * lists every interface), too much for each transfer of a boot storm, and an MTU changes
     * rarely; a train refused meanwhile only sends that transfer's blocks one by one.
     */
    private static final long MTU_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record KnownMtu(int payload, long checkedAt) {
    }

    private final String name;
    private final EventLoopGroup group;
    private final int eventLoops;
    private final Class<? extends DatagramChannel> channelType;
    private final boolean segmentsDatagrams;
    private final Map<InetAddress, KnownMtu> payloadByLocalAddress = new ConcurrentHashMap<>();

    private DatagramTransport(String name, EventLoopGroup group, int eventLoops,
                              Class<? extends DatagramChannel> channelType, boolean segmentsDatagrams) {
        this.name = name;
        this.group = group;
        this.eventLoops = eventLoops;
        this.channelType = channelType;
        this.segmentsDatagrams = segmentsDatagrams;
    }

    /** Epoll when its native library loads here, NIO otherwise (the reason goes to {@link #name}). */
    static DatagramTransport choose(int threads, ThreadFactory threadFactory, SelectStrategyFactory strategy) {
        if (Epoll.isAvailable()) {
            boolean segments = SegmentedDatagramPacket.isSupported();
            return new DatagramTransport(segments ? "epoll with UDP segmentation offload" : "epoll",
                    new EpollEventLoopGroup(threads, threadFactory, strategy), threads, EpollDatagramChannel.class,
                    segments);
        }
        return new DatagramTransport("NIO (epoll unavailable: " + Epoll.unavailabilityCause() + ")",
                new NioEventLoopGroup(threads, threadFactory, SelectorProvider.provider(), strategy), threads,
                NioDatagramChannel.class, false);
    }

    /** What the operator reads in the log. */
    String name() {
        return name;
    }

    EventLoopGroup group() {
        return group;
    }

    /** How many event loops {@link #group()} runs: the transfers in progress share them. */
    int eventLoops() {
        return eventLoops;
    }

    /** The datagram channel class that runs on {@link #group()}. */
    Class<? extends DatagramChannel> channelType() {
        return channelType;
    }

    /**
     * The largest datagram payload the kernel may cut trains into on this connected channel: what
     * fits the MTU of the interface that holds the channel's local address, so that no segment
     * needs IP fragmentation (the kernel refuses such a train). 0 when this transport does not
     * segment or the interface is unknown; a route with a smaller MTU than its interface makes the
     * kernel refuse the first train, and {@link WindowWriter} then stops making trains.
     */
    int maxSegmentPayload(Channel connected) {
        if (!segmentsDatagrams || !(connected.localAddress() instanceof InetSocketAddress local)) {
            return 0;
        }
        long now = System.nanoTime();
        KnownMtu known = payloadByLocalAddress.get(local.getAddress());
        if (known == null || now - known.checkedAt() > MTU_MAX_AGE_NANOS) {
            known = new KnownMtu(lookUpPayload(local.getAddress()), now);
            payloadByLocalAddress.put(local.getAddress(), known);
        }
        return known.payload();
    }

    private static int lookUpPayload(InetAddress address) {
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(address);
            if (nic == null) {
                return 0;
            }
            int headers = address instanceof Inet6Address ? IPV6_UDP_HEADERS : IPV4_UDP_HEADERS;
            return Math.max(0, nic.getMTU() - headers);
        } catch (SocketException e) {
            return 0;
        }
    }
}

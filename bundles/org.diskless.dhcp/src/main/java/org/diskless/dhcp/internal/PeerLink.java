package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/**
 * The heartbeat socket on {@code peers.port}, on the DHCP event loop: sends our heartbeat to every
 * peer each {@link PeerWatch#INTERVAL} and hands what arrives to the {@link PeerWatch}. One per
 * peer configuration; a new one replaces it when {@code peers} or {@code peers.port} change.
 */
final class PeerLink {

    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final PeerWatch watch;
    private final Optional<Inet4Address> boundTo;
    private final Channel channel;
    private final ScheduledFuture<?> beat;
    private final LogThrottle throttle = new LogThrottle(java.time.Duration.ofMinutes(1));

    private PeerLink(PeerWatch watch, Optional<Inet4Address> boundTo, Channel channel, EventLoopGroup loop,
                     Supplier<Optional<Inet4Address>> self) {
        this.watch = watch;
        this.boundTo = boundTo;
        this.channel = channel;
        long period = PeerWatch.INTERVAL.toMillis();
        this.beat = loop.scheduleAtFixedRate(() -> send(self.get()), 0, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts heartbeats for {@code settings}; empty when there are no peers. The socket is bound
     * to our address as the peers know it, so that our heartbeats come from it (the peers accept
     * only that one) whatever the routes say; on any address when we have none yet or it is not
     * this host's. A port that cannot be bound is logged and the watch still runs: the peers then
     * seem down to us (we answer all clients, and the shared store keeps that safe), as we to them.
     *
     * @param boundTo our address as the peers know it now (the server identifier of the boot network)
     * @param self    the same, asked again for each heartbeat
     */
    static Optional<PeerLink> open(PeerSettings settings, Optional<Inet4Address> boundTo, DhcpTransport transport,
                                   EventLoopGroup loop, Supplier<Optional<Inet4Address>> self, Supplier<Instant> clock) {
        if (settings.alone()) {
            return Optional.empty();
        }
        PeerWatch watch = new PeerWatch(settings, clock);
        ChannelFuture bound = bind(watch, boundTo.orElse(Addresses.ANY), transport, loop, self);
        if (!bound.isSuccess() && boundTo.isPresent()) {
            bound = bind(watch, Addresses.ANY, transport, loop, self);
        }
        if (!bound.isSuccess()) {
            LOG.error("Cannot listen for DHCP peer heartbeats on UDP port {}: {}. The peers {} will seem down to this"
                    + " server, and it to them, so each answers every client; free the port or set peers.port (the"
                    + " same on every server) in etc/org.diskless.dhcp.cfg", settings.heartbeatPort(),
                    bound.cause() == null ? "timed out" : bound.cause().getMessage(), settings.addresses());
        }
        LOG.info("DHCP shares the clients with peers {} (RFC 3074 buckets; heartbeats on UDP {}, takeover after"
                + " {} s)", settings.addresses(), bound.channel().localAddress() != null
                        ? bound.channel().localAddress() : "port " + settings.heartbeatPort(), settings.takeoverSeconds());
        return Optional.of(new PeerLink(watch, boundTo, bound.channel(), loop, self));
    }

    private static ChannelFuture bind(PeerWatch watch, Inet4Address address, DhcpTransport transport,
                                      EventLoopGroup loop, Supplier<Optional<Inet4Address>> self) {
        ChannelFuture bound = new Bootstrap().group(loop).channel(transport.channelType())
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
                        int length = Math.min(datagram.content().readableBytes(), PeerWatch.MAX_HEARTBEAT + 1);
                        watch.received(datagram.sender(), ByteBufUtil.getBytes(datagram.content(),
                                datagram.content().readerIndex(), length), self.get());
                    }
                })
                .bind(new InetSocketAddress(address, watch.settings().heartbeatPort()));
        if (!bound.awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS) || !bound.isSuccess()) {
            bound.channel().close();
        }
        return bound;
    }

    PeerWatch watch() {
        return watch;
    }

    /** Whether this link is the one for {@code settings} with us at {@code self}. */
    boolean serves(PeerSettings settings, Optional<Inet4Address> self) {
        return watch.settings().equals(settings) && boundTo.equals(self);
    }

    private void send(Optional<Inet4Address> self) {
        if (self.isEmpty() || !channel.isActive()) {
            return;
        }
        byte[] heartbeat = watch.heartbeat(self.get());
        for (Inet4Address peer : watch.settings().addresses()) {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(heartbeat),
                    new InetSocketAddress(peer, watch.settings().heartbeatPort()))).addListener(f -> {
                        if (!f.isSuccess()) {
                            throttle.warn(LOG, "send", "Could not send a heartbeat to DHCP peer {}: {}",
                                    peer.getHostAddress(), String.valueOf(f.cause()));
                        }
                    });
        }
    }

    void close() {
        beat.cancel(false);
        channel.close().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}

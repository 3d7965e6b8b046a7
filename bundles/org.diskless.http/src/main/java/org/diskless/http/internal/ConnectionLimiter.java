package org.diskless.http.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Bounds the connections open at once, in all and per client address: a connection over either
 * limit is answered 503 and closed before anything of it is read, so a flood of connections costs
 * a socket each for a moment, not a file or a thread. The limits are read at each connection, so a
 * new configuration applies to the next one.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    /** Written before the HTTP codec sees the connection: no request has been read to answer. */
    private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("diskless.http.counted");

    private final Supplier<HttpSettings> settings;
    private final HttpCounters counters;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

    ConnectionLimiter(Supplier<HttpSettings> settings, HttpCounters counters) {
        this.settings = settings;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        HttpSettings limits = settings.get();
        InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        boolean admitted = open.incrementAndGet() <= limits.maxConnections();
        AtomicInteger ofClient = perClient.computeIfAbsent(client, c -> new AtomicInteger());
        admitted &= ofClient.incrementAndGet() <= limits.maxConnectionsPerClient();
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        if (!admitted) {
            counters.add(HttpCounter.CONNECTIONS_REFUSED);
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        counters.add(HttpCounter.CONNECTIONS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            open.decrementAndGet();
            InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            perClient.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
        super.channelInactive(ctx);
    }

    int open() {
        return open.get();
    }
}

package org.diskless.http.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;

/** The handlers of one HTTP connection, from the socket up. */
final class HttpPipeline extends ChannelInitializer<Channel> {

    /** Longest request line: a boot path is short; a longer line is answered 414. */
    static final int MAX_REQUEST_LINE = 4096;
    /** Most bytes of headers: a firmware sends a handful; more is answered 431. */
    static final int MAX_HEADER_SIZE = 8192;
    /** A GET or HEAD carries no body; a request with a larger one is answered 413. */
    static final int MAX_BODY = 8192;

    private final Supplier<HttpSettings> settings;
    private final ConnectionLimiter limiter;
    private final BootFileHandler.Services services;

    HttpPipeline(Supplier<HttpSettings> settings, ConnectionLimiter limiter, BootFileHandler.Services services) {
        this.settings = settings;
        this.limiter = limiter;
        this.services = services;
    }

    @Override
    protected void initChannel(Channel channel) {
        long idle = settings.get().idleTimeout().toMillis();
        // observeOutput: a client that takes the body slowly is busy, one that takes nothing is idle.
        channel.pipeline().addLast("idle", new IdleStateHandler(true, 0, 0, idle, TimeUnit.MILLISECONDS))
                .addLast("limit", limiter)
                .addLast("codec", new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_SIZE, 8192))
                .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
                .addLast("chunks", new ChunkedWriteHandler())
                .addLast("files", new BootFileHandler(services));
    }
}

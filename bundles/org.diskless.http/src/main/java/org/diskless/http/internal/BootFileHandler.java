package org.diskless.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * One connection's requests, answered in order (HTTP/1.1 pipelining): a request waits while the one
 * before it is answered, and the connection stops reading while requests wait. The file work of a
 * request runs on a file-work thread ({@link BootFileAnswers}); the answer is written here, on the
 * connection's event loop, the body by the kernel from the file when it can (sendfile), else in
 * chunks that are read only as fast as the client takes them.
 */
final class BootFileHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BootFileHandler.class);

    /** Requests a client may send ahead of their answers; one more closes the connection. */
    static final int MAX_PIPELINED = 16;
    static final String ALLOWED = "GET, HEAD";

    /** What every connection shares. */
    record Services(BootFileAnswers answers, Executor fileWork, HttpCounters counters, HttpTransfers transfers,
                    Consumer<BootEvent> events) {
    }

    private final Services services;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean answering;

    BootFileHandler(Services services) {
        this.services = services;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (waiting.size() >= MAX_PIPELINED) {
            request.release();
            ctx.close();
            return;
        }
        waiting.add(request);
        if (!answering) {
            next(ctx);
        } else {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle) {
            if (idle.isFirst() && answering) {
                // Netty's first idle event of a period comes however the body is going (watching the
                // output, it only notes then where the sending stands): a client taking a large file
                // slowly, GRUB over HTTP, is busy. The next event comes only if it took nothing.
                return;
            }
            services.counters().add(HttpCounter.IDLE_CLOSED);
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset by the client, mostly: nothing to answer on a broken connection.
        LOG.debug("HTTP connection from {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    /** Answers the next waiting request, or reads on when none waits. */
    private void next(ChannelHandlerContext ctx) {
        FullHttpRequest request = waiting.poll();
        if (request == null) {
            answering = false;
            if (!ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
                ctx.read();
            }
            return;
        }
        answering = true;
        try {
            services.counters().add(HttpCounter.REQUESTS);
            accept(ctx, request);
        } finally {
            request.release();
        }
    }

    private void accept(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            services.counters().add(HttpCounter.BAD_REQUESTS);
            // The decoder cannot find the next request after a bad one: the connection ends.
            write(ctx, Pages.page(status, ""), true);
            return;
        }
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            services.counters().add(HttpCounter.METHOD_NOT_ALLOWED);
            HttpResponse refused = Pages.page(HttpResponseStatus.METHOD_NOT_ALLOWED, "");
            refused.headers().set(HeaderNames.ALLOW, ALLOWED);
            write(ctx, refused, !HttpUtil.isKeepAlive(request));
            return;
        }
        Optional<String> path = RequestPath.of(request.uri());
        if (path.isEmpty()) {
            services.counters().add(HttpCounter.BAD_REQUESTS);
            write(ctx, Pages.page(HttpResponseStatus.BAD_REQUEST, "not a path"), !HttpUtil.isKeepAlive(request));
            return;
        }
        BootRequest boot = BootRequest.of(request, path.get());
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        boolean zeroCopy = ctx.pipeline().get(SslHandler.class) == null;
        try {
            services.fileWork().execute(() -> {
                Answer answer = services.answers().answer(boot, client, zeroCopy);
                ctx.executor().execute(() -> send(ctx, boot, answer));
            });
        } catch (RejectedExecutionException e) {
            services.counters().add(HttpCounter.BUSY);
            HttpResponse busy = Pages.page(HttpResponseStatus.SERVICE_UNAVAILABLE, "");
            busy.headers().set(HeaderNames.RETRY_AFTER, 1);
            write(ctx, busy, true);
        }
    }

    /** Writes a response without a file body, then goes on with the next request or closes. */
    private void write(ChannelHandlerContext ctx, HttpResponse response, boolean close) {
        HttpUtil.setKeepAlive(response, !close);
        HeaderNames.respell(response.headers());
        ChannelFuture written = ctx.writeAndFlush(response);
        ended(ctx, written, close);
    }

    private void ended(ChannelHandlerContext ctx, ChannelFuture written, boolean close) {
        if (close) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else {
            written.addListener(f -> {
                if (f.isSuccess()) {
                    next(ctx);
                }
            });
        }
    }

    private void send(ChannelHandlerContext ctx, BootRequest request, Answer answer) {
        if (!ctx.channel().isActive()) {
            answer.body().ifPresent(body -> closeQuietly(body));
            return;
        }
        boolean close = answer.close() || !request.keepAlive();
        if (answer.body().isEmpty()) {
            write(ctx, answer.head(), close);
            return;
        }
        Answer.Body body = answer.body().get();
        HttpUtil.setKeepAlive(answer.head(), !close);
        HeaderNames.respell(answer.head().headers());
        long length = body.range().length();
        BootContext context = answer.context();
        HttpTransfers.Active transfer = services.transfers().start(context.client(), body.file(), length,
                body.zeroCopy());
        services.counters().add(HttpCounter.STARTED);
        event(context, BootEvent.Kind.FILE_STARTED, body, 0, 0);
        long startNanos = System.nanoTime();
        ctx.write(answer.head());
        if (length > 0) {
            ChannelProgressivePromise progress = ctx.newProgressivePromise();
            progress.addListener(new ChannelProgressiveFutureListener() {
                @Override
                public void operationProgressed(ChannelProgressiveFuture future, long sent, long total) {
                    transfer.progress(sent);
                }

                @Override
                public void operationComplete(ChannelProgressiveFuture future) {
                    if (future.isSuccess()) {
                        transfer.progress(length);
                    }
                }
            });
            Object bytes = body.zeroCopy()
                    ? new DefaultFileRegion(body.content().fileChannel().orElseThrow(), body.range().first(), length)
                    : new ContentChunks(body.content(), body.range());
            ctx.write(bytes, progress);
        }
        ChannelFuture done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        done.addListener(f -> {
            transfer.end();
            closeQuietly(body);
            long nanos = System.nanoTime() - startNanos;
            if (f.isSuccess()) {
                services.counters().add(HttpCounter.FILES_SENT);
                if (answer.head().status().equals(HttpResponseStatus.PARTIAL_CONTENT)) {
                    services.counters().add(HttpCounter.PARTIAL);
                }
                services.counters().add(HttpCounter.BYTES_SENT, length);
                if (body.zeroCopy()) {
                    services.counters().add(HttpCounter.ZERO_COPY_BYTES, length);
                }
                event(context, BootEvent.Kind.FILE_SENT, body, length, nanos);
            } else {
                services.counters().add(HttpCounter.FAILED);
                services.counters().add(HttpCounter.BYTES_SENT, transfer.sent());
                event(context, BootEvent.Kind.FILE_FAILED, body, transfer.sent(), nanos);
                ctx.close();
            }
        });
        ended(ctx, done, close);
    }

    private void event(BootContext context, BootEvent.Kind kind, Answer.Body body, long bytes, long nanos) {
        String detail = Printable.of(body.file(), BootRequest.MAX_PATH_SHOWN)
                + (body.range().first() == 0 ? "" : " from byte " + body.range().first())
                + (kind.equals(BootEvent.Kind.FILE_FAILED) ? ": the connection ended" : "");
        services.events().accept(BootEvent.builder(Instant.now(), BootProtocol.HTTP, kind,
                        context.client().getAddress()).hardwareAddress(context.hardwareAddress().orElse(null))
                .detail(detail).bytes(bytes).duration(java.time.Duration.ofNanos(nanos)).build());
    }

    private static void closeQuietly(Answer.Body body) {
        try {
            body.content().close();
        } catch (IOException e) {
            LOG.debug("Closing {} failed", body.file(), e);
        }
    }
}

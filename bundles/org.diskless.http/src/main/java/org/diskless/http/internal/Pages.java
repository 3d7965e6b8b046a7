package org.diskless.http.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Responses without a file: error pages (plain text, one line) and bodiless heads. */
final class Pages {

    private Pages() {
    }

    /**
     * A one-line plain-text page: the status and, when given, what it is about — only ever the path
     * as the client named it, never a path on the server.
     */
    static FullHttpResponse page(HttpResponseStatus status, String about) {
        String text = status.code() + " " + status.reasonPhrase() + (about.isEmpty() ? "" : ": " + about) + "\n";
        FullHttpResponse page = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        dated(page);
        page.headers().set(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HeaderNames.CONTENT_LENGTH, page.content().readableBytes())
                .set("X-Content-Type-Options", "nosniff");
        return page;
    }

    /** A response with no body bytes, whatever its headers announce (HEAD, 304). */
    static FullHttpResponse bodiless(HttpResponse head) {
        FullHttpResponse full = new DefaultFullHttpResponse(head.protocolVersion(), head.status(),
                Unpooled.EMPTY_BUFFER);
        full.headers().set(head.headers());
        return full;
    }

    static <R extends HttpResponse> R dated(R response) {
        response.headers().set(HeaderNames.DATE, Validators.httpDate(Instant.now()));
        return response;
    }
}

package org.diskless.http.internal;

import java.util.Optional;

import org.diskless.support.log.Printable;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;

/**
 * What the server reads from a GET or HEAD, copied out of Netty's request so that it can go to a
 * file-work thread while the request's buffers are released on the event loop.
 *
 * @param path the decoded path, as the client named it (the resolver judges it)
 */
record BootRequest(boolean head, String path, boolean keepAlive, Optional<String> range, Optional<String> ifRange,
                   Optional<String> ifNoneMatch, Optional<String> ifModifiedSince) {

    /** How much of a client's path a log line, an error page or an event shows. */
    static final int MAX_PATH_SHOWN = 200;

    static BootRequest of(FullHttpRequest request, String path) {
        HttpHeaders headers = request.headers();
        return new BootRequest(HttpMethod.HEAD.equals(request.method()), path, HttpUtil.isKeepAlive(request),
                header(headers, HttpHeaderNames.RANGE), header(headers, HttpHeaderNames.IF_RANGE),
                header(headers, HttpHeaderNames.IF_NONE_MATCH), header(headers, HttpHeaderNames.IF_MODIFIED_SINCE));
    }

    /** The path for a log line or a page: capped, control characters escaped. */
    String shownPath() {
        return Printable.of(path, MAX_PATH_SHOWN);
    }

    private static Optional<String> header(HttpHeaders headers, CharSequence name) {
        return Optional.ofNullable(headers.get(name));
    }
}

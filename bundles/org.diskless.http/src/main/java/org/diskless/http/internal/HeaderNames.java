package org.diskless.http.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * The names of the headers this server writes, spelt as HTTP/1.1 servers have always written them.
 * Header names are case-insensitive (RFC 9110), and Netty's own are lower case; but GRUB's HTTP
 * client (2.06 and 2.12) compares {@code Content-Length: } byte for byte: under a lower-case name it
 * never learns a file's size, reads each body until the connection closes, and a GRUB booted over
 * HTTP waits out the idle timeout for every file it asks for.
 */
final class HeaderNames {

    static final AsciiString ACCEPT_RANGES = AsciiString.cached("Accept-Ranges");
    static final AsciiString ALLOW = AsciiString.cached("Allow");
    static final AsciiString CONNECTION = AsciiString.cached("Connection");
    static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    static final AsciiString CONTENT_RANGE = AsciiString.cached("Content-Range");
    static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    static final AsciiString DATE = AsciiString.cached("Date");
    static final AsciiString ETAG = AsciiString.cached("ETag");
    static final AsciiString LAST_MODIFIED = AsciiString.cached("Last-Modified");
    static final AsciiString RETRY_AFTER = AsciiString.cached("Retry-After");

    private HeaderNames() {
    }

    /**
     * Writes again, under {@link #CONNECTION}, the {@code connection} header Netty's keep-alive
     * helper set (lookups ignore case, so the value is found whatever the name's spelling).
     */
    static void respell(HttpHeaders headers) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            headers.remove(HttpHeaderNames.CONNECTION);
            headers.set(CONNECTION, connection);
        }
    }
}

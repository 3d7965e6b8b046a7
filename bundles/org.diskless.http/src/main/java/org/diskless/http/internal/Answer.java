package org.diskless.http.internal;

import java.util.Optional;

import org.diskless.api.boot.BootContext;
import org.diskless.api.files.BootFileContent;

import io.netty.handler.codec.http.HttpResponse;

/**
 * How a request is answered, decided on a file-work thread: the response head, and for a GET that
 * sends a body, the open content and the range of it to send.
 *
 * @param close whether the connection ends after this answer, whatever the client asked
 */
record Answer(HttpResponse head, Optional<Body> body, BootContext context, boolean close) {

    /**
     * @param content  open, owned by the exchange until the body is sent or abandoned
     * @param zeroCopy whether the content's own file can be handed to the kernel
     */
    record Body(String file, BootFileContent content, ByteRange range, boolean zeroCopy) {
    }
}

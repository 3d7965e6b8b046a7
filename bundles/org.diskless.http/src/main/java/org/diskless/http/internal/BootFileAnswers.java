package org.diskless.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.support.context.ClientContexts;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Decides how a GET or HEAD is answered: who the client is, the file its path names (through the
 * resolver, so the jail, context-dependent and generated files are TFTP's), the validators, the
 * range. Runs on file-work threads, never on an event loop: a slow NFS-mounted root or provider
 * would stall every connection of that loop.
 */
final class BootFileAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(BootFileAnswers.class);

    private final BootFileResolver resolver;
    private final ClientContexts clients;
    private final HttpCounters counters;
    private final Consumer<BootEvent> events;
    private final LogThrottle throttle;

    BootFileAnswers(BootFileResolver resolver, ClientContexts clients, HttpCounters counters,
                    Consumer<BootEvent> events, LogThrottle throttle) {
        this.resolver = resolver;
        this.clients = clients;
        this.counters = counters;
        this.events = events;
        this.throttle = throttle;
    }

    /** @param zeroCopy whether the connection lets the kernel send a file (no TLS between) */
    Answer answer(BootRequest request, InetSocketAddress client, boolean zeroCopy) {
        BootContext context = clients.contextOf(BootProtocol.HTTP, client);
        BootFile file;
        try {
            file = resolver.resolve(request.path(), context);
        } catch (BootFileException e) {
            return refusal(e, request, context);
        }
        Validators validators = Validators.of(file);
        HttpResponse head = Pages.dated(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        HttpHeaders headers = head.headers();
        validators.etag().ifPresent(tag -> headers.set(HeaderNames.ETAG, tag));
        validators.lastModifiedText().ifPresent(date -> headers.set(HeaderNames.LAST_MODIFIED, date));
        if (validators.notModified(request.ifNoneMatch(), request.ifModifiedSince())) {
            counters.add(HttpCounter.NOT_MODIFIED);
            head.setStatus(HttpResponseStatus.NOT_MODIFIED);
            return new Answer(Pages.bodiless(head), Optional.empty(), context, false);
        }
        headers.set(HeaderNames.CONTENT_TYPE, MediaTypes.of(file.path()))
                .set(HeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        ByteRange.Outcome outcome = validators.rangeApplies(request.ifRange())
                ? ByteRange.of(request.range(), file.size()) : new ByteRange.Whole();
        ByteRange range;
        if (outcome instanceof ByteRange.Unsatisfiable) {
            counters.add(HttpCounter.RANGE_NOT_SATISFIABLE);
            HttpResponse refused = Pages.page(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "");
            refused.headers().set(HeaderNames.CONTENT_RANGE, "bytes */" + file.size());
            return new Answer(refused, Optional.empty(), context, false);
        } else if (outcome instanceof ByteRange.Part part) {
            range = part.range();
            head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
            headers.set(HeaderNames.CONTENT_RANGE, range.contentRange(file.size()));
        } else {
            range = new ByteRange(0, file.size() - 1);
        }
        headers.set(HeaderNames.CONTENT_LENGTH, range.length());
        if (request.head()) {
            counters.add(HttpCounter.HEAD);
            return new Answer(Pages.bodiless(head), Optional.empty(), context, false);
        }
        BootFileContent content;
        try {
            content = file.open();
        } catch (IOException e) {
            throttle.warn(LOG, "open", "Cannot open {} for {}: {}", Printable.of(file.path(),
                    BootRequest.MAX_PATH_SHOWN), client, e.getMessage());
            return failure(HttpResponseStatus.INTERNAL_SERVER_ERROR, HttpCounter.SERVER_ERRORS, request, context,
                    "cannot read it");
        }
        boolean kernelSends = zeroCopy && content.fileChannel().isPresent();
        return new Answer(head, Optional.of(new Answer.Body(file.path(), content, range, kernelSends)), context,
                false);
    }

    private Answer refusal(BootFileException e, BootRequest request, BootContext context) {
        LOG.debug("HTTP {} from {} refused: {}", request.shownPath(), context.client(), e.getMessage());
        return switch (e.reason()) {
            case NOT_FOUND -> failure(HttpResponseStatus.NOT_FOUND, HttpCounter.NOT_FOUND, request, context,
                    "not found");
            case INVALID_NAME -> failure(HttpResponseStatus.BAD_REQUEST, HttpCounter.BAD_REQUESTS, request, context,
                    "not a valid name");
            case OUTSIDE_ROOT, DENIED, ALREADY_EXISTS -> failure(HttpResponseStatus.FORBIDDEN, HttpCounter.FORBIDDEN,
                    request, context, "refused");
            case IO_ERROR -> {
                throttle.warn(LOG, "resolve", "File system error for {}: {}", context.client(),
                        Printable.of(e.getMessage(), BootRequest.MAX_PATH_SHOWN));
                yield failure(HttpResponseStatus.INTERNAL_SERVER_ERROR, HttpCounter.SERVER_ERRORS, request, context,
                        "cannot read it");
            }
        };
    }

    /** An error page naming the client's own path, and a failed file in the client's timeline. */
    private Answer failure(HttpResponseStatus status, HttpCounter counter, BootRequest request, BootContext context,
                           String why) {
        counters.add(counter);
        events.accept(BootEvent.builder(Instant.now(), BootProtocol.HTTP, BootEvent.Kind.FILE_FAILED,
                        context.client().getAddress()).hardwareAddress(context.hardwareAddress().orElse(null))
                .detail(request.shownPath() + ": " + why).build());
        return new Answer(Pages.page(status, request.shownPath()), Optional.empty(), context, false);
    }
}

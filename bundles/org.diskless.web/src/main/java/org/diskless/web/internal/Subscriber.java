package org.diskless.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

import javax.servlet.AsyncContext;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;

/**
 * One browser on the live stream, written without blocking (Servlet non-blocking output): what the
 * stream sends waits in a queue of at most {@value #MAX_QUEUED} messages until the connection takes
 * it. A client that stops reading fills its queue and is dropped, so it holds neither the stream's
 * thread nor more than that much memory; its browser reconnects and reloads the tiles.
 */
final class Subscriber implements WriteListener {

    static final int MAX_QUEUED = 16;

    private final AsyncContext context;
    private final ServletOutputStream out;
    private final Consumer<Subscriber> onClose;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private boolean unflushed;
    private boolean closed;

    Subscriber(AsyncContext context, Consumer<Subscriber> onClose) throws IOException {
        this.context = context;
        this.out = context.getResponse().getOutputStream();
        this.onClose = onClose;
    }

    /** From now on the container says when the connection takes more (it calls {@link #onWritePossible}). */
    void start() {
        out.setWriteListener(this);
    }

    /** Queues {@code text} and writes what the connection takes now; false once this subscriber is gone. */
    boolean offer(String text) {
        synchronized (this) {
            if (!closed) {
                if (queue.size() < MAX_QUEUED) {
                    queue.add(text.getBytes(StandardCharsets.UTF_8));
                    drain();
                } else {
                    closeLocked();
                }
            }
            if (!closed) {
                return true;
            }
        }
        onClose.accept(this);
        return false;
    }

    @Override
    public void onWritePossible() {
        boolean gone;
        synchronized (this) {
            drain();
            gone = closed;
        }
        if (gone) {
            onClose.accept(this);
        }
    }

    /** The browser went away, or the container gave up writing to it. */
    @Override
    public void onError(Throwable failure) {
        close();
    }

    void close() {
        synchronized (this) {
            closeLocked();
        }
        onClose.accept(this);
    }

    synchronized int queued() {
        return queue.size();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Writes while the connection takes it, then flushes; the container calls back when it takes more. */
    private void drain() {
        try {
            while (!closed && out.isReady()) {
                byte[] next = queue.poll();
                if (next != null) {
                    out.write(next);
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush();
                } else {
                    return;
                }
            }
        } catch (IOException | RuntimeException gone) {
            closeLocked();
        }
    }

    private void closeLocked() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        try {
            context.complete();
        } catch (RuntimeException alreadyDone) {
            // the browser went first
        }
    }
}

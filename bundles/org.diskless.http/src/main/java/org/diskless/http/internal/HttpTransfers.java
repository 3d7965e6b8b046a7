package org.diskless.http.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** The response bodies being sent, from every event loop, for {@code http:transfers}. */
final class HttpTransfers {

    private final Set<Active> active = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanoClock;

    HttpTransfers(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** One body in flight; its progress is written by its event loop and read by the shell. */
    final class Active {
        private final InetSocketAddress client;
        private final String file;
        private final long total;
        private final boolean zeroCopy;
        private final Instant started = Instant.now();
        private final long startNanos = nanoClock.getAsLong();
        private volatile long sent;

        private Active(InetSocketAddress client, String file, long total, boolean zeroCopy) {
            this.client = client;
            this.file = file;
            this.total = total;
            this.zeroCopy = zeroCopy;
        }

        void progress(long bytesSent) {
            sent = bytesSent;
        }

        long sent() {
            return sent;
        }

        Duration elapsed() {
            return Duration.ofNanos(nanoClock.getAsLong() - startNanos);
        }

        void end() {
            active.remove(this);
        }

        HttpTransferView view() {
            return new HttpTransferView(client, file, sent, total, zeroCopy, started, elapsed());
        }
    }

    Active start(InetSocketAddress client, String file, long total, boolean zeroCopy) {
        Active transfer = new Active(client, file, total, zeroCopy);
        active.add(transfer);
        return transfer;
    }

    List<HttpTransferView> views() {
        return active.stream().map(Active::view).sorted(Comparator.comparing(HttpTransferView::started)).toList();
    }

    int count() {
        return active.size();
    }
}

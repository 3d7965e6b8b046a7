package org.diskless.http.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import org.diskless.support.stats.RunningTransfer;

/**
 * A response body being sent, as {@code http:transfers} shows it.
 *
 * @param bytesSent  bytes of the body the socket took so far
 * @param totalBytes the body's length (the range, for a 206)
 * @param zeroCopy   whether the kernel sends it from the file (sendfile), not through the heap
 */
public record HttpTransferView(InetSocketAddress client, String file, long bytesSent, long totalBytes,
                               boolean zeroCopy, Instant started, Duration elapsed) implements RunningTransfer {

    @Override
    public String clientName() {
        return RunningTransfer.name(client);
    }

    public long bytesPerSecond() {
        long millis = elapsed.toMillis();
        return millis <= 0 ? 0 : bytesSent * 1000 / millis;
    }
}

package org.diskless.tftp.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import org.diskless.support.stats.RunningTransfer;

/**
 * A transfer in progress as the operator sees it.
 *
 * @param totalBytes the size being sent, or -1 for an upload of unannounced size
 * @param resent     packets sent to the client again so far (blocks, an OACK, an upload's ACKs)
 */
public record TransferView(InetSocketAddress client, String file, Direction direction, long bytesDone,
                           long totalBytes, int blockSize, int windowSize, Instant started, Duration elapsed,
                           long resent) implements RunningTransfer {

    public enum Direction { READ, WRITE }

    @Override
    public String clientName() {
        return RunningTransfer.name(client);
    }

    /** The bytes done: sent, or for an upload received. */
    @Override
    public long bytesSent() {
        return bytesDone;
    }

    /** Bytes per second since the transfer started. */
    public double bytesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : bytesDone / seconds;
    }
}

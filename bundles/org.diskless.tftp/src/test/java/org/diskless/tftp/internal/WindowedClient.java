package org.diskless.tftp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpData;

/**
 * The receiving end of RFC 7440 as atftp 0.8 showed it in a capture: it acknowledges a window once it
 * holds as many new blocks as the window size since its last ACK, and the short last block; a copy
 * of a block it already holds it answers at once with an ACK of the last block it holds in order.
 * A block past a gap it answers the same way, as RFC 7440 has a receiver report a gap.
 */
final class WindowedClient {

    private final int windowSize;
    private final int blockSize;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int expected = 1;
    private int sinceAck;
    private boolean done;

    WindowedClient(int windowSize, int blockSize) {
        this.windowSize = windowSize;
        this.blockSize = blockSize;
    }

    /** Takes (and releases) one DATA packet; the ACK it sends back, if any. */
    Optional<TftpAck> receive(TftpData data) {
        try {
            if (data.block() != expected) {
                sinceAck = 0;
                return Optional.of(new TftpAck(expected - 1));
            }
            int length = data.content().readableBytes();
            data.content().readBytes(received, length);
            expected++;
            done = length < blockSize;
            if (++sinceAck == windowSize || done) {
                sinceAck = 0;
                return Optional.of(new TftpAck(expected - 1));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            data.release();
        }
    }

    boolean done() {
        return done;
    }

    byte[] received() {
        return received.toByteArray();
    }
}

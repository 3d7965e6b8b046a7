package org.diskless.tftp.codec;

import java.net.InetSocketAddress;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A datagram that is no valid TFTP packet. Carries the sender, so the handler can answer it with
 * an ERROR instead of losing track of who sent it.
 */
public final class TftpPacketException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress sender;
    private final boolean wasError;

    TftpPacketException(InetSocketAddress sender, boolean wasError, String message) {
        super(message);
        this.sender = sender;
        this.wasError = wasError;
    }

    public InetSocketAddress sender() {
        return sender;
    }

    /** A broken ERROR packet is never answered: RFC 1350 forbids answering an error with one. */
    public boolean wasErrorPacket() {
        return wasError;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // thrown per bad datagram from the network: the stack says nothing useful
    }
}

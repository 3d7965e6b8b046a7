package org.diskless.dhcp.codec;

import java.net.InetSocketAddress;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A datagram that is no valid DHCP message. Carries the sender, so the handler can count it per
 * client and stay silent (RFC 2131 has no error reply to a packet it cannot read).
 */
public final class DhcpPacketException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress sender;

    DhcpPacketException(InetSocketAddress sender, String message) {
        super(sender == null ? message : message + " (from " + sender + ")");
        this.sender = sender;
    }

    /** Who sent the datagram; null when it was decoded without one (see {@link DhcpDecoder#decode(io.netty.buffer.ByteBuf)}). */
    public InetSocketAddress sender() {
        return sender;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // thrown per bad datagram from the network: the stack says nothing useful
    }
}

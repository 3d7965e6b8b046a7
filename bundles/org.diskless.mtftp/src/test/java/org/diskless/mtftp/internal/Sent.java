package org.diskless.mtftp.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.InetSocketAddress;

import org.diskless.tftp.codec.TftpData;
import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpPacket;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

/** A datagram as it left an embedded port: its recipient and the packet in it, with nothing to release. */
record Sent(InetSocketAddress to, TftpPacket packet) {

    /** The next datagram {@code port} sent, decoded; null when it sent nothing more. */
    static Sent next(EmbeddedChannel port) {
        Object message = port.readOutbound();
        if (message == null) {
            return null;
        }
        DatagramPacket datagram = assertInstanceOf(DatagramPacket.class, message);
        try {
            TftpPacket packet = TftpDecoder.decode(datagram.content(), datagram.recipient());
            if (packet instanceof TftpData data) {
                byte[] payload = ByteBufUtil.getBytes(data.content()); // a heap copy, readable once released
                data.release();
                return new Sent(datagram.recipient(), new TftpData(data.block(), Unpooled.wrappedBuffer(payload)));
            }
            return new Sent(datagram.recipient(), packet);
        } finally {
            datagram.release();
        }
    }

    int block() {
        return assertInstanceOf(TftpData.class, packet).block();
    }

    int bytes() {
        return ((TftpData) packet).content().readableBytes();
    }
}

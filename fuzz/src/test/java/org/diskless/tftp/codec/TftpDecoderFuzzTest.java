package org.diskless.tftp.codec;

import static org.diskless.fuzz.Refusals.readOrRefuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

/**
 * Any datagram to the TFTP port: the decoder gives a packet or a {@link TftpPacketException}, the
 * channel stays open, the datagram's buffer is released once the packet is, and what the decoder
 * read encodes to bytes that decode to the same packet.
 */
class TftpDecoderFuzzTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 2070);
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 69);

    @FuzzTest
    void decode(byte[] datagram) throws Exception {
        ByteBuf content = Unpooled.buffer(datagram.length).writeBytes(datagram);
        EmbeddedChannel channel = new EmbeddedChannel(new TftpDecoder());
        Optional<Boolean> written = readOrRefuse(
                () -> channel.writeInbound(new DatagramPacket(content, SERVER, CLIENT)), TftpPacketException.class);
        assertTrue(channel.isOpen(), "a bad datagram closed the channel");
        if (written.isPresent()) {
            AddressedEnvelope<TftpPacket, InetSocketAddress> envelope = channel.readInbound();
            TftpPacket packet = envelope.content();
            try {
                assertEquals(CLIENT, envelope.sender());
                assertTrue(!(packet instanceof TftpRequest request) || request.options().size() <= TftpDecoder.MAX_OPTIONS,
                        "more options kept than the decoder allows");
                assertRoundTrip(packet);
            } finally {
                envelope.release();
            }
        }
        assertEquals(0, content.refCnt(), "the datagram's buffer was not released");
        channel.finishAndReleaseAll();
    }

    private static void assertRoundTrip(TftpPacket packet) {
        ByteBuf encoded = TftpEncoder.encode(UnpooledByteBufAllocator.DEFAULT, packet);
        try {
            TftpPacket again = TftpDecoder.decode(encoded, CLIENT);
            try {
                if (packet instanceof TftpData data) {
                    TftpData other = (TftpData) again;
                    assertEquals(data.block(), other.block());
                    assertTrue(ByteBufUtil.equals(data.content(), other.content()), "DATA payload changed");
                } else {
                    assertEquals(packet, again);
                }
            } finally {
                if (again instanceof TftpData data) {
                    data.release();
                }
            }
        } finally {
            encoded.release();
        }
    }
}

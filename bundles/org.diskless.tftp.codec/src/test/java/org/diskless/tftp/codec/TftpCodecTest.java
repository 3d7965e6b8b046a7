package org.diskless.tftp.codec;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.DecoderException;

/** Round trips through two channels, and the datagrams the decoder must refuse. */
class TftpCodecTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 2048);
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 69);

    private final EmbeddedChannel encoder = new EmbeddedChannel(new TftpEncoder());
    private final EmbeddedChannel decoder = new EmbeddedChannel(new TftpDecoder());

    @AfterEach
    void nothingLeftBehind() {
        assertFalse(encoder.finishAndReleaseAll());
        assertFalse(decoder.finishAndReleaseAll());
    }

    @Test
    void readRequestWithOptionsKeepsTheirOrder() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("tsize", "0");
        options.put("blksize", "1468");
        options.put("windowsize", "4");
        TftpRequest request = roundTrip(TftpRequest.read("boot\\grubx64.efi", "octet", options));
        assertEquals(TftpOpcode.RRQ, request.opcode());
        assertEquals("boot\\grubx64.efi", request.filename());
        assertEquals("octet", request.mode());
        assertEquals(options, request.options());
        assertEquals(java.util.List.of("tsize", "blksize", "windowsize"), java.util.List.copyOf(request.options().keySet()));
    }

    @Test
    void writeRequestAckErrorAndOptionAckRoundTrip() {
        assertEquals(TftpRequest.write("up.bin", "netascii", Map.of()),
                roundTrip(TftpRequest.write("up.bin", "netascii", Map.of())));
        assertEquals(new TftpAck(65535), roundTrip(new TftpAck(65535)));
        assertEquals(new TftpError(TftpErrorCode.FILE_NOT_FOUND, "File not found"),
                roundTrip(new TftpError(TftpErrorCode.FILE_NOT_FOUND, "File not found")));
        assertEquals(new TftpOptionAck(Map.of("blksize", "1432")), roundTrip(new TftpOptionAck(Map.of("blksize", "1432"))));
    }

    @Test
    void dataRoundTripsWithItsPayloadAndBlockNumber() {
        TftpData sent = new TftpData(7, Unpooled.copiedBuffer("payload", US_ASCII));
        TftpData received = roundTrip(sent);
        try {
            assertEquals(7, received.block());
            assertEquals("payload", received.content().toString(US_ASCII));
        } finally {
            received.release();
        }
    }

    @Test
    void aDataBlockWrittenBehindItsHeaderPassesTheEncoderUntouched() {
        ByteBuf packet = TftpEncoder.writeDataHeader(Unpooled.buffer(), 65535).writeBytes("xyz".getBytes(US_ASCII));
        assertTrue(encoder.writeOutbound(new DatagramPacket(packet, CLIENT)));
        DatagramPacket datagram = encoder.readOutbound();
        assertTrue(decoder.writeInbound(new DatagramPacket(datagram.content(), SERVER, CLIENT)));
        AddressedEnvelope<TftpPacket, InetSocketAddress> envelope = decoder.readInbound();
        TftpData data = (TftpData) envelope.content();
        assertEquals(65535, data.block());
        assertEquals("xyz", data.content().toString(US_ASCII));
        data.release();
    }

    @Test
    void anEmptyLastBlockIsStillData() {
        TftpData received = roundTrip(new TftpData(3, Unpooled.EMPTY_BUFFER));
        assertEquals(0, received.content().readableBytes());
        received.release();
    }

    @Test
    void optionNamesAreCaseInsensitiveAndTheFirstOfARepeatWins() {
        TftpRequest request = decode(bytes("\0\1file\0OCTET\0BLKSIZE\0001024\0blksize\0002048\0"));
        assertEquals(Map.of("blksize", "1024"), request.options());
        assertEquals("octet", request.normalizedMode());
    }

    @Test
    void toleratesPaddingThatRealClientsSend() {
        assertEquals(new TftpAck(5), decode(bytes("\0\4\0\5\0\0")));
        assertEquals(new TftpError(0, "no terminator"), decode(bytes("\0\5\0\0no terminator")));
        TftpRequest request = decode(bytes("\0\1pxelinux.0\0octet\0\0"));
        assertTrue(request.options().isEmpty());
    }

    @Test
    void truncatedPacketsAreRefusedNamingTheSender() {
        assertRefused(bytes("\0"), "shorter than a TFTP opcode");
        assertRefused(bytes(""), "shorter than a TFTP opcode");
        assertRefused(bytes("\0\3\0"), "DATA packet truncated");
        assertRefused(bytes("\0\4"), "ACK packet truncated");
    }

    @Test
    void unknownOpcodesAreRefused() {
        assertRefused(bytes("\0\7abc"), "unknown TFTP opcode 7");
        assertRefused(bytes("\u00ff\u00ffabc"), "unknown TFTP opcode 65535");
    }

    @Test
    void unterminatedStringsAreRefused() {
        assertRefused(bytes("\0\1pxelinux.0"), "file name is not NUL-terminated");
        assertRefused(bytes("\0\1pxelinux.0\0octet"), "mode is not NUL-terminated");
        assertRefused(bytes("\0\1f\0octet\0blksize\0"), "value of option 'blksize' is not NUL-terminated");
        assertRefused(bytes("\0\1f\0octet\0blksize"), "option name is not NUL-terminated");
        assertRefused(bytes("\0\6"), "OACK without options");
    }

    @Test
    void anOptionNameQuotedInARefusalIsEscapedAndCapped() {
        TftpPacketException bad = assertRefused(bytes("\0\1f\0octet\0\u001b[2J" + "o".repeat(2000) + "\0"),
                "is not NUL-terminated");
        assertFalse(bad.getMessage().contains("\u001b"), bad.getMessage());
        assertTrue(bad.getMessage().length() < 200, bad.getMessage().length() + " characters");
    }

    @Test
    void aFloodOfOptionsIsRefused() {
        StringBuilder request = new StringBuilder("\0\1f\0octet\0");
        for (int i = 0; i <= TftpDecoder.MAX_OPTIONS; i++) {
            request.append("opt").append(i).append("\0").append(i).append("\0");
        }
        assertRefused(bytes(request.toString()), "more than " + TftpDecoder.MAX_OPTIONS + " options");
    }

    @Test
    void aBrokenErrorPacketIsMarkedSoNobodyAnswersIt() {
        TftpPacketException e = assertRefused(bytes("\0\5\0"), "ERROR packet without an error code");
        assertTrue(e.wasErrorPacket());
    }

    @Test
    void oversizedDatagramsAreRefused() {
        byte[] huge = new byte[TftpDecoder.MAX_PACKET_SIZE + 1];
        huge[1] = 3;
        assertRefused(Unpooled.wrappedBuffer(huge), "larger than any TFTP packet");
    }

    @Test
    void theDecoderKeepsWorkingAfterABadDatagram() {
        assertRefused(bytes("\0\7"), "unknown TFTP opcode");
        assertEquals(new TftpAck(1), decode(bytes("\0\4\0\1")));
    }

    @Test
    void valuesRefuseImpossibleFields() {
        assertThrows(IllegalArgumentException.class, () -> new TftpAck(65536));
        assertThrows(IllegalArgumentException.class, () -> new TftpAck(-1));
        assertThrows(IllegalArgumentException.class, () -> new TftpError(70000, "x"));
        assertThrows(IllegalArgumentException.class, () -> new TftpRequest(TftpOpcode.ACK, "f", "octet", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new TftpOptionAck(Map.of()));
        assertThrows(UnsupportedOperationException.class,
                () -> TftpRequest.read("f", "octet", Map.of("a", "b")).options().put("c", "d"));
        assertEquals(TftpErrorCode.NOT_DEFINED, TftpErrorCode.valueOf(99));
    }

    @SuppressWarnings("unchecked")
    private <T extends TftpPacket> T roundTrip(T packet) {
        assertTrue(encoder.writeOutbound(new DefaultAddressedEnvelope<TftpPacket, InetSocketAddress>(packet, CLIENT, SERVER)));
        DatagramPacket datagram = encoder.readOutbound();
        assertEquals(CLIENT, datagram.recipient());
        assertTrue(decoder.writeInbound(new DatagramPacket(datagram.content(), SERVER, CLIENT)));
        AddressedEnvelope<TftpPacket, InetSocketAddress> envelope = decoder.readInbound();
        assertEquals(CLIENT, envelope.sender());
        assertNull(decoder.readInbound());
        return (T) envelope.content();
    }

    @SuppressWarnings("unchecked")
    private <T extends TftpPacket> T decode(ByteBuf datagram) {
        assertTrue(decoder.writeInbound(new DatagramPacket(datagram, SERVER, CLIENT)));
        AddressedEnvelope<TftpPacket, InetSocketAddress> envelope = decoder.readInbound();
        return (T) envelope.content();
    }

    private TftpPacketException assertRefused(ByteBuf datagram, String reason) {
        DecoderException e = assertThrows(DecoderException.class,
                () -> decoder.writeInbound(new DatagramPacket(datagram, SERVER, CLIENT)));
        TftpPacketException bad = assertInstanceOf(TftpPacketException.class, e);
        assertEquals(CLIENT, bad.sender());
        assertTrue(bad.getMessage().contains(reason), bad.getMessage());
        assertTrue(decoder.isOpen());
        return bad;
    }

    private static ByteBuf bytes(String iso) {
        return Unpooled.copiedBuffer(iso, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}

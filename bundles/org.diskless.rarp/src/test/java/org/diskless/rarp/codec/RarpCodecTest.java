package org.diskless.rarp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.Test;

/** RARP frames as RFC 903 lays them out and as a Sun boot PROM sends them. */
class RarpCodecTest {

    private static final HardwareAddress SUN = HardwareAddress.parse("08:00:20:0a:0b:0c");
    private static final HardwareAddress SERVER = HardwareAddress.parse("02:00:00:00:00:01");

    /**
     * A SPARCstation's PROM asking who it is: broadcast, EtherType 0x8035, Ethernet/IPv4, operation
     * 3, its own address as sender and target, both protocol addresses 0, padded to 60 bytes.
     */
    private static final byte[] SUN_REQUEST = Arrays.copyOf(hex("ffffffffffff 0800200a0b0c 8035"
            + " 0001 0800 06 04 0003 0800200a0b0c 00000000 0800200a0b0c 00000000"), 60);

    @Test
    void sunPromRequestDecodes() throws RarpFormatException {
        RarpFrame frame = RarpCodec.decode(ByteBuffer.wrap(SUN_REQUEST));

        assertEquals(HardwareAddress.parse("ff:ff:ff:ff:ff:ff"), frame.destination());
        assertEquals(SUN, frame.source());
        assertEquals(RarpOp.REQUEST_REVERSE, frame.op());
        assertEquals(SUN, frame.senderHardware());
        assertEquals(SUN, frame.targetHardware());
        assertEquals(ip("0.0.0.0"), frame.targetProtocol());
    }

    @Test
    void replyCarriesTheServerAsSenderAndTheAddressAsTarget() throws RarpFormatException {
        RarpFrame request = RarpCodec.decode(ByteBuffer.wrap(SUN_REQUEST));

        byte[] wire = RarpCodec.encode(RarpFrame.replyTo(request, SERVER, ip("192.0.2.1"), ip("192.0.2.20")));

        assertEquals(60, wire.length, "padded to the shortest Ethernet frame");
        assertArrayEquals(hex("0800200a0b0c 020000000001 8035 0001 0800 06 04 0004 020000000001 c0000201"
                + " 0800200a0b0c c0000214"), Arrays.copyOf(wire, RarpCodec.LENGTH));
        assertArrayEquals(new byte[60 - RarpCodec.LENGTH], Arrays.copyOfRange(wire, RarpCodec.LENGTH, 60));
    }

    @Test
    void roundTripKeepsEveryField() throws RarpFormatException {
        RarpFrame frame = new RarpFrame(SUN, SERVER, RarpOp.REPLY_REVERSE, SERVER, ip("198.18.7.1"), SUN,
                ip("198.18.7.20"));

        assertEquals(frame, RarpCodec.decode(ByteBuffer.wrap(RarpCodec.encode(frame))));
    }

    @Test
    void decodingLeavesTheBufferWhereItWas() throws RarpFormatException {
        ByteBuffer buffer = ByteBuffer.allocate(80);
        buffer.position(7).put(SUN_REQUEST).flip().position(7);

        RarpCodec.decode(buffer);

        assertEquals(7, buffer.position());
        assertEquals(67, buffer.limit());
    }

    @Test
    void whatIsNotRarpOfEthernetAndIpv4IsRefusedSayingWhy() {
        assertRefused(Arrays.copyOf(SUN_REQUEST, 41), "shorter than the 42");
        assertRefused(with(SUN_REQUEST, 12, "0806"), "EtherType 0x0806");
        assertRefused(with(SUN_REQUEST, 14, "0006"), "hardware type 6");
        assertRefused(with(SUN_REQUEST, 16, "86dd"), "protocol type 0x86dd");
        assertRefused(with(SUN_REQUEST, 18, "0810"), "address lengths 8 and 16");
        assertRefused(with(SUN_REQUEST, 20, "0001"), "operation 1 is no RARP operation");
        assertRefused(with(SUN_REQUEST, 20, "ffff"), "operation 65535");
    }

    private static void assertRefused(byte[] frame, String reason) {
        RarpFormatException e = assertThrows(RarpFormatException.class, () -> RarpCodec.decode(ByteBuffer.wrap(frame)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private static byte[] with(byte[] frame, int offset, String bytes) {
        byte[] copy = frame.clone();
        byte[] replacement = hex(bytes);
        System.arraycopy(replacement, 0, copy, offset, replacement.length);
        return copy;
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

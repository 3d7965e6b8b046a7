package org.diskless.rmp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.diskless.api.HardwareAddress;
import org.diskless.rmp.codec.RmpPacket.BootComplete;
import org.diskless.rmp.codec.RmpPacket.BootReply;
import org.diskless.rmp.codec.RmpPacket.BootRequest;
import org.diskless.rmp.codec.RmpPacket.ReadReply;
import org.diskless.rmp.codec.RmpPacket.ReadRequest;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact frames. The vectors were laid out field by field after BSD rbootd's rmp.h and
 * rmp_var.h (802.3 header, LLC 0xF8/0xF8/0x03 + three zero bytes + HP extended SAPs, RMP packet,
 * zero padding to 60 bytes with the length field counting only the real bytes), written to a pcap
 * and decoded once with tshark 4.0's rmp dissector: every one showed as RMP with the expected
 * fields and no malformed-packet expert info.
 */
class RmpCodecTest {

    static final HardwareAddress CLIENT = HardwareAddress.parse("08:00:09:12:34:56");
    static final HardwareAddress SERVER = HardwareAddress.parse("02:00:00:00:00:01");

    static final String IDENTIFY_REQUEST = "0900090000040800091234560029f8f80300000006080609010000000000ffff0002"
            + "4850533330302020202020202020202020202020000000000000";
    static final String IDENTIFY_REPLY = "080009123456020000000001001cf8f80300000006090608810000000000000000"
            + "0207626f6f74737276000000000000000000000000000000000000";
    static final String FILE_LIST_REQUEST = "0900090000040800091234560029f8f80300000006080609010000000003ffff0002"
            + "4850533330302020202020202020202020202020000000000000";
    static final String FILE_LIST_END_REPLY = "0800091234560200000000010015f8f803000000060906088112000000030000"
            + "00020000000000000000000000000000000000000000000000000000";
    static final String BOOT_REQUEST = "020000000001080009123456003af8f80300000006080609010012345678000000"
            + "024850533330302020202020202020202020202020112f7573722f6d6465632f53595348505558";
    static final String BOOT_REPLY = "0800091234560200000000010026f8f8030000000609060881001234567800010002"
            + "112f7573722f6d6465632f535953485055580000000000000000";
    static final String READ_REQUEST = "0200000000010800091234560014f8f80300000006080609020000001000000105ca"
            + "0000000000000000000000000000000000000000000000000000";
    static final String READ_REPLY = "0800091234560200000000010016f8f80300000006090608820000001000000141424344"
            + "000000000000000000000000000000000000000000000000";
    static final String READ_EOF_REPLY = "0800091234560200000000010012f8f8030000000609060882020002000000010000"
            + "0000000000000000000000000000000000000000000000000000";
    static final String BOOT_COMPLETE = "0200000000010800091234560012f8f8030000000608060903000000000000010000"
            + "0000000000000000000000000000000000000000000000000000";

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    private static RmpFrame decode(String text) throws RmpFormatException {
        return RmpCodec.decode(ByteBuffer.wrap(hex(text)));
    }

    private static void assertEncodes(String expected, RmpFrame frame) {
        assertEquals(expected, HexFormat.of().formatHex(RmpCodec.encode(frame)));
        assertEquals(expected.length() / 2, RmpCodec.encodedLength(frame));
    }

    @Test
    void identifyProbeDecodesWithBlankPaddedMachineTypeAndNoName() throws Exception {
        RmpFrame frame = decode(IDENTIFY_REQUEST);
        assertEquals(RmpCodec.MULTICAST, frame.destination());
        assertEquals(CLIENT, frame.source());
        assertTrue(frame.isToServer());
        BootRequest probe = (BootRequest) frame.packet();
        assertTrue(probe.isProbe());
        assertEquals(0, probe.sequence());
        assertEquals(2, probe.version());
        assertEquals("HPS300", probe.machineType());
        assertEquals("", probe.fileName());
        assertEncodes(IDENTIFY_REQUEST, frame);
    }

    @Test
    void identifyReplyCarriesTheHostNameAndIsPaddedTo60Bytes() {
        assertEncodes(IDENTIFY_REPLY, RmpFrame.toClient(CLIENT, SERVER,
                new BootReply(RmpRetcode.OKAY, 0, 0, RmpPacket.VERSION, "bootsrv")));
    }

    @Test
    void fileListProbeAndItsEndOfListReply() throws Exception {
        BootRequest probe = (BootRequest) decode(FILE_LIST_REQUEST).packet();
        assertTrue(probe.isProbe());
        assertEquals(3, probe.sequence());
        assertEncodes(FILE_LIST_END_REPLY, RmpFrame.toClient(CLIENT, SERVER,
                new BootReply(RmpRetcode.NODFLT, 3, 0, RmpPacket.VERSION, "")));
    }

    @Test
    void bootRequestLongerThanTheMinimumFrameIsNotPadded() throws Exception {
        RmpFrame frame = decode(BOOT_REQUEST);
        BootRequest request = (BootRequest) frame.packet();
        assertFalse(request.isProbe());
        assertEquals(0x12345678L, request.sequence());
        assertEquals("/usr/mdec/SYSHPUX", request.fileName());
        assertEquals(72, hex(BOOT_REQUEST).length);
        assertEncodes(BOOT_REQUEST, frame);
    }

    @Test
    void bootReplyEchoesSequenceAndNameWithTheNewSession() {
        assertEncodes(BOOT_REPLY, RmpFrame.toClient(CLIENT, SERVER,
                new BootReply(RmpRetcode.OKAY, 0x12345678L, 1, RmpPacket.VERSION, "/usr/mdec/SYSHPUX")));
    }

    @Test
    void readRequestRoundTrips() throws Exception {
        RmpFrame frame = decode(READ_REQUEST);
        assertEquals(new ReadRequest(0, 0x1000, 1, 1482), frame.packet());
        assertEncodes(READ_REQUEST, frame);
    }

    @Test
    void readReplyLengthFieldCountsDataButNotPadding() throws Exception {
        RmpFrame frame = RmpFrame.toClient(CLIENT, SERVER,
                new ReadReply(RmpRetcode.OKAY, 0x1000, 1, new byte[] {'A', 'B', 'C', 'D'}));
        assertEncodes(READ_REPLY, frame);
        ReadReply decoded = (ReadReply) decode(READ_REPLY).packet();
        assertArrayEquals("ABCD".getBytes(), decoded.data());
        assertEquals(frame.packet(), decoded);
    }

    @Test
    void readReplyHeaderWrittenInPlaceMatchesTheFullEncoding() {
        ByteBuffer out = ByteBuffer.allocate(RmpCodec.MAX_FRAME);
        RmpCodec.encodeReadReplyHeader(CLIENT, SERVER, RmpRetcode.EOF, 0x20000, 1, 0, out);
        assertEquals(32, out.position());
        byte[] bytes = new byte[60];
        out.get(0, bytes);
        assertEquals(READ_EOF_REPLY, HexFormat.of().formatHex(bytes));
        assertEncodes(READ_EOF_REPLY, RmpFrame.toClient(CLIENT, SERVER,
                new ReadReply(RmpRetcode.EOF, 0x20000, 1, new byte[0])));
    }

    @Test
    void fullReadReplyIsExactly1514Bytes() throws Exception {
        byte[] data = new byte[RmpCodec.MAX_READ_DATA];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        byte[] frame = RmpCodec.encode(RmpFrame.toClient(CLIENT, SERVER, new ReadReply(RmpRetcode.OKAY, 1482, 1, data)));
        assertEquals(1514, frame.length);
        assertEquals(1500, ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF));
        assertArrayEquals(data, ((ReadReply) RmpCodec.decode(ByteBuffer.wrap(frame)).packet()).data());
    }

    @Test
    void bootCompleteRoundTrips() throws Exception {
        RmpFrame frame = decode(BOOT_COMPLETE);
        assertEquals(new BootComplete(0, 1), frame.packet());
        assertEncodes(BOOT_COMPLETE, frame);
    }

    @Test
    void decodingLeavesTheBufferWhereItWas() throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(hex(READ_REQUEST));
        RmpCodec.decode(buffer);
        assertEquals(0, buffer.position());
    }

    @Test
    void ethernetIiFramesAreNotRmp() {
        byte[] frame = hex(READ_REQUEST);
        frame[12] = 0x08; // EtherType 0x0800
        frame[13] = 0x00;
        assertThrows(RmpFormatException.class, () -> RmpCodec.decode(ByteBuffer.wrap(frame)));
    }

    @Test
    void otherLlcSapsAreNotRmp() {
        byte[] frame = hex(READ_REQUEST);
        frame[14] = (byte) 0x42; // spanning tree
        frame[15] = (byte) 0x42;
        assertThrows(RmpFormatException.class, () -> RmpCodec.decode(ByteBuffer.wrap(frame)));
    }

    @Test
    void otherHpExtendedSapsAreNotRmp() {
        byte[] frame = hex(READ_REQUEST);
        frame[21] = 0x0A;
        assertThrows(RmpFormatException.class, () -> RmpCodec.decode(ByteBuffer.wrap(frame)));
    }

    @Test
    void lengthFieldBeyondTheFrameIsRefused() {
        byte[] frame = hex(READ_REQUEST);
        frame[13] = (byte) 0x60; // claims 96 bytes after the header, 46 are there
        assertThrows(RmpFormatException.class, () -> RmpCodec.decode(ByteBuffer.wrap(frame)));
    }

    @Test
    void readRequestCutShortByTheLengthFieldIsRefused() {
        byte[] frame = hex(READ_REQUEST);
        frame[13] = 0x12; // 18 bytes: 10 of LLC, 8 of a 10-byte read request
        assertThrows(RmpFormatException.class, () -> RmpCodec.decode(ByteBuffer.wrap(frame)));
    }

    @Test
    void nameLongerThanThePacketIsRefused() {
        byte[] frame = hex(BOOT_REQUEST);
        frame[54] = 0x40; // name length 64, 17 bytes follow
        assertThrows(RmpFormatException.class, () -> RmpCodec.decode(ByteBuffer.wrap(frame)));
    }

    @Test
    void unknownPacketTypeIsRefused() {
        byte[] frame = hex(BOOT_COMPLETE);
        frame[24] = 7;
        assertThrows(RmpFormatException.class, () -> RmpCodec.decode(ByteBuffer.wrap(frame)));
    }

    @Test
    void runtFramesAreRefused() {
        assertThrows(RmpFormatException.class, () -> RmpCodec.decode(ByteBuffer.wrap(new byte[20])));
    }

    @Test
    void fieldsOutOfRangeAreRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new ReadRequest(0, -1, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new ReadRequest(0, 0, 0x10000, 10));
        assertThrows(IllegalArgumentException.class,
                () -> new BootReply(RmpRetcode.OKAY, 0, 0, 2, "x".repeat(256)));
        assertThrows(IllegalArgumentException.class,
                () -> new ReadReply(RmpRetcode.OKAY, 0, 1, new byte[RmpCodec.MAX_READ_DATA + 1]));
    }

    @Test
    void maxReadDataIs1482() {
        assertEquals(1482, RmpCodec.MAX_READ_DATA);
    }
}

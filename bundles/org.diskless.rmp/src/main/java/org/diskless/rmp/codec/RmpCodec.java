package org.diskless.rmp.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.diskless.api.HardwareAddress;
import org.diskless.rmp.codec.RmpPacket.BootComplete;
import org.diskless.rmp.codec.RmpPacket.BootReply;
import org.diskless.rmp.codec.RmpPacket.BootRequest;
import org.diskless.rmp.codec.RmpPacket.ReadReply;
import org.diskless.rmp.codec.RmpPacket.ReadRequest;

/**
 * RMP frames on the wire, as HP boot ROMs and the BSD rbootd lay them out:
 *
 * <pre>
 *  0  destination MAC (6)   6  source MAC (6)   12  802.3 length (2): bytes from offset 14 on
 * 14  DSAP 0xF8   15  SSAP 0xF8   16  control 0x03 (UI)   17  three zero bytes (HP filler)
 * 20  HP extended destination SAP (2)   22  HP extended source SAP (2)
 * 24  RMP packet: type (1), return code (1), then per type, all big-endian
 * </pre>
 *
 * Frames shorter than the Ethernet minimum of 60 bytes are padded with zeros; the length field
 * keeps the unpadded size so that a receiver can tell padding from data.
 */
public final class RmpCodec {

    /** Where boot ROMs send their requests before they know a server. */
    public static final HardwareAddress MULTICAST = HardwareAddress.parse("09:00:09:00:00:04");

    public static final int LLC_SAP = 0xF8;
    public static final int LLC_CONTROL = 0x03;
    /** HP extended SAP of the server side: requests are addressed to it. */
    public static final int SERVER_SAP = 0x608;
    /** HP extended SAP of the boot ROM side: replies are addressed to it. */
    public static final int CLIENT_SAP = 0x609;

    public static final int HEADER_LENGTH = 14;
    public static final int LLC_LENGTH = 10;
    public static final int RMP_OFFSET = HEADER_LENGTH + LLC_LENGTH;
    public static final int MIN_FRAME = 60;
    public static final int MAX_FRAME = 1514;
    /** Largest 802.3 length field; anything from 0x600 up is an EtherType, not a length. */
    public static final int MAX_LENGTH_FIELD = 1500;

    private static final int READ_REPLY_HEADER = 8;
    /** The most file data one read reply holds: 1514 - 24 - 8 = 1482 bytes. */
    public static final int MAX_READ_DATA = MAX_FRAME - RMP_OFFSET - READ_REPLY_HEADER;

    private static final int BOOT_REQUEST_FIXED = 30; // up to and including the machine type
    private static final int BOOT_REPLY_FIXED = 10;   // up to the name length byte
    private static final int READ_REQUEST_LENGTH = 10;
    private static final int BOOT_COMPLETE_LENGTH = 8;

    private RmpCodec() {
    }

    /**
     * Decodes the frame between {@code frame}'s position and limit; the buffer is not moved.
     *
     * @throws RmpFormatException when it is not an RMP frame or an RMP packet is cut short
     */
    public static RmpFrame decode(ByteBuffer frame) throws RmpFormatException {
        int start = frame.position();
        int available = frame.remaining();
        if (available < RMP_OFFSET + 2) {
            throw new RmpFormatException("frame of " + available + " bytes is too short for an RMP header");
        }
        int length = frame.getShort(start + 12) & 0xFFFF;
        if (length > MAX_LENGTH_FIELD) {
            throw new RmpFormatException(String.format("EtherType 0x%04x frame, not an IEEE 802.3 frame", length));
        }
        if (length < LLC_LENGTH + 2) {
            throw new RmpFormatException("802.3 length " + length + " leaves no room for an RMP packet");
        }
        if (HEADER_LENGTH + length > available) {
            throw new RmpFormatException("802.3 length " + length + " but only " + (available - HEADER_LENGTH)
                    + " bytes follow the header");
        }
        int dsap = frame.get(start + 14) & 0xFF;
        int ssap = frame.get(start + 15) & 0xFF;
        int control = frame.get(start + 16) & 0xFF;
        if (dsap != LLC_SAP || ssap != LLC_SAP) {
            throw new RmpFormatException(String.format("LLC SAPs 0x%02x/0x%02x, not HP's 0xf8/0xf8", dsap, ssap));
        }
        if (control != LLC_CONTROL) {
            throw new RmpFormatException(String.format("LLC control 0x%02x, not 0x03 (UI)", control));
        }
        int destinationSap = frame.getShort(start + 20) & 0xFFFF;
        int sourceSap = frame.getShort(start + 22) & 0xFFFF;
        if (destinationSap != SERVER_SAP && destinationSap != CLIENT_SAP) {
            throw new RmpFormatException(String.format("HP extended SAP 0x%03x is not RMP's 0x608 or 0x609",
                    destinationSap));
        }
        HardwareAddress destination = mac(frame, start);
        HardwareAddress source = mac(frame, start + 6);
        ByteBuffer rmp = frame.slice(start + RMP_OFFSET, length - LLC_LENGTH);
        return new RmpFrame(destination, source, destinationSap, sourceSap, packet(rmp));
    }

    private static RmpPacket packet(ByteBuffer rmp) throws RmpFormatException {
        int type = rmp.get(0) & 0xFF;
        int retcode = rmp.get(1) & 0xFF;
        int size = rmp.remaining();
        switch (type) {
            case RmpPacket.BOOT_REQUEST -> {
                require(size >= BOOT_REQUEST_FIXED, "boot request", size, BOOT_REQUEST_FIXED);
                String machineType = trimmed(rmp, 10, RmpPacket.MACHINE_TYPE_LENGTH);
                String name = "";
                if (size > BOOT_REQUEST_FIXED) {
                    name = name(rmp, BOOT_REQUEST_FIXED, "boot request");
                }
                return new BootRequest(retcode, u32(rmp, 2), u16(rmp, 6), u16(rmp, 8), machineType, name);
            }
            case RmpPacket.BOOT_REPLY -> {
                require(size > BOOT_REPLY_FIXED, "boot reply", size, BOOT_REPLY_FIXED + 1);
                return new BootReply(retcode(retcode), u32(rmp, 2), u16(rmp, 6), u16(rmp, 8),
                        name(rmp, BOOT_REPLY_FIXED, "boot reply"));
            }
            case RmpPacket.READ_REQUEST -> {
                require(size >= READ_REQUEST_LENGTH, "read request", size, READ_REQUEST_LENGTH);
                return new ReadRequest(retcode, u32(rmp, 2), u16(rmp, 6), u16(rmp, 8));
            }
            case RmpPacket.READ_REPLY -> {
                require(size >= READ_REPLY_HEADER, "read reply", size, READ_REPLY_HEADER);
                byte[] data = new byte[Math.min(size - READ_REPLY_HEADER, MAX_READ_DATA)];
                rmp.get(READ_REPLY_HEADER, data);
                return new ReadReply(retcode(retcode), u32(rmp, 2), u16(rmp, 6), data);
            }
            case RmpPacket.BOOT_COMPLETE -> {
                require(size >= BOOT_COMPLETE_LENGTH, "boot complete", size, BOOT_COMPLETE_LENGTH);
                return new BootComplete(retcode, u16(rmp, 6));
            }
            default -> throw new RmpFormatException("unknown RMP packet type " + type);
        }
    }

    /** The encoded size of {@code frame}, padding included. */
    public static int encodedLength(RmpFrame frame) {
        return Math.max(MIN_FRAME, RMP_OFFSET + packetLength(frame.packet()));
    }

    /** Encodes {@code frame} at {@code out}'s position, padded to 60 bytes, and advances it. */
    public static void encode(RmpFrame frame, ByteBuffer out) {
        RmpPacket packet = frame.packet();
        int packetLength = packetLength(packet);
        int start = out.position();
        out.put(frame.destination().toByteArray());
        out.put(frame.source().toByteArray());
        out.putShort((short) (LLC_LENGTH + packetLength));
        out.put((byte) LLC_SAP).put((byte) LLC_SAP).put((byte) LLC_CONTROL);
        out.put((byte) 0).put((byte) 0).put((byte) 0);
        out.putShort((short) frame.destinationSap());
        out.putShort((short) frame.sourceSap());
        out.put((byte) packet.type());
        if (packet instanceof BootRequest request) {
            out.put((byte) request.retcode());
            out.putInt((int) request.sequence());
            out.putShort((short) request.session());
            out.putShort((short) request.version());
            byte[] machineType = new byte[RmpPacket.MACHINE_TYPE_LENGTH];
            Arrays.fill(machineType, (byte) ' ');
            byte[] given = request.machineType().getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(given, 0, machineType, 0, given.length);
            out.put(machineType);
            putName(out, request.fileName());
        } else if (packet instanceof BootReply reply) {
            out.put((byte) reply.retcode().code());
            out.putInt((int) reply.sequence());
            out.putShort((short) reply.session());
            out.putShort((short) reply.version());
            putName(out, reply.fileName());
        } else if (packet instanceof ReadRequest request) {
            out.put((byte) request.retcode());
            out.putInt((int) request.offset());
            out.putShort((short) request.session());
            out.putShort((short) request.size());
        } else if (packet instanceof ReadReply reply) {
            out.put((byte) reply.retcode().code());
            out.putInt((int) reply.offset());
            out.putShort((short) reply.session());
            out.put(reply.data());
        } else if (packet instanceof BootComplete complete) {
            out.put((byte) complete.retcode());
            out.putInt(0);
            out.putShort((short) complete.session());
        }
        while (out.position() - start < MIN_FRAME) {
            out.put((byte) 0);
        }
    }

    /** {@link #encode(RmpFrame, ByteBuffer)} into a fresh array. */
    public static byte[] encode(RmpFrame frame) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(frame));
        encode(frame, out);
        return out.array();
    }

    /**
     * Writes the header of a read reply whose {@code dataLength} bytes of data the caller puts
     * right behind it (read from the file straight into the frame), then pads. The buffer's
     * position is left at the start of the data.
     */
    public static void encodeReadReplyHeader(HardwareAddress client, HardwareAddress server, RmpRetcode retcode,
            long offset, int session, int dataLength, ByteBuffer out) {
        int packetLength = READ_REPLY_HEADER + dataLength;
        int start = out.position();
        out.put(client.toByteArray());
        out.put(server.toByteArray());
        out.putShort((short) (LLC_LENGTH + packetLength));
        out.put((byte) LLC_SAP).put((byte) LLC_SAP).put((byte) LLC_CONTROL);
        out.put((byte) 0).put((byte) 0).put((byte) 0);
        out.putShort((short) CLIENT_SAP);
        out.putShort((short) SERVER_SAP);
        out.put((byte) RmpPacket.READ_REPLY);
        out.put((byte) retcode.code());
        out.putInt((int) offset);
        out.putShort((short) session);
        int dataStart = out.position();
        for (int i = dataStart - start; i < MIN_FRAME; i++) {
            out.put((byte) 0);
        }
        out.position(dataStart);
    }

    /**
     * Corrects the 802.3 length of a read reply started at {@code start} when fewer bytes than
     * announced to {@link #encodeReadReplyHeader} were read (the file ended).
     */
    public static void setReadReplyDataLength(ByteBuffer out, int start, int dataLength) {
        out.putShort(start + 12, (short) (LLC_LENGTH + READ_REPLY_HEADER + dataLength));
    }

    private static int packetLength(RmpPacket packet) {
        if (packet instanceof BootRequest request) {
            return BOOT_REQUEST_FIXED + 1 + request.fileName().length();
        }
        if (packet instanceof BootReply reply) {
            return BOOT_REPLY_FIXED + 1 + reply.fileName().length();
        }
        if (packet instanceof ReadReply reply) {
            return READ_REPLY_HEADER + reply.length();
        }
        return packet instanceof ReadRequest ? READ_REQUEST_LENGTH : BOOT_COMPLETE_LENGTH;
    }

    private static void putName(ByteBuffer out, String name) {
        out.put((byte) name.length());
        out.put(name.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String name(ByteBuffer rmp, int at, String what) throws RmpFormatException {
        int length = rmp.get(at) & 0xFF;
        if (at + 1 + length > rmp.remaining()) {
            throw new RmpFormatException(what + " names " + length + " bytes but carries only "
                    + (rmp.remaining() - at - 1));
        }
        byte[] bytes = new byte[length];
        rmp.get(at + 1, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The machine type without the blanks (or NULs) it is padded with. */
    private static String trimmed(ByteBuffer rmp, int at, int width) {
        byte[] bytes = new byte[width];
        rmp.get(at, bytes);
        int end = width;
        while (end > 0 && (bytes[end - 1] == ' ' || bytes[end - 1] == 0)) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }

    private static RmpRetcode retcode(int code) throws RmpFormatException {
        return RmpRetcode.valueOf(code).orElseThrow(() -> new RmpFormatException("unknown RMP return code " + code));
    }

    private static void require(boolean longEnough, String what, int actual, int needed)
            throws RmpFormatException {
        if (!longEnough) {
            throw new RmpFormatException(what + " of " + actual + " bytes is shorter than its " + needed
                    + "-byte fixed part");
        }
    }

    private static long u32(ByteBuffer buffer, int at) {
        return buffer.getInt(at) & 0xFFFF_FFFFL;
    }

    private static int u16(ByteBuffer buffer, int at) {
        return buffer.getShort(at) & 0xFFFF;
    }

    private static HardwareAddress mac(ByteBuffer frame, int at) {
        byte[] bytes = new byte[6];
        frame.get(at, bytes);
        return HardwareAddress.ethernet(bytes);
    }
}

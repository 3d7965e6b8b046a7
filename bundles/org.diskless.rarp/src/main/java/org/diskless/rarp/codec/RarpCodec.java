package org.diskless.rarp.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import org.diskless.api.HardwareAddress;

/**
 * RARP frames on an Ethernet (RFC 903, in the ARP packet format of RFC 826):
 *
 * <pre>
 *  0  destination MAC (6)   6  source MAC (6)   12  EtherType 0x8035 (2)
 * 14  hardware type 1 (2)   16  protocol type 0x0800 (2)   18  hardware length 6   19  protocol length 4
 * 20  operation (2)   22  sender MAC (6)   28  sender IPv4 (4)   32  target MAC (6)   38  target IPv4 (4)
 * </pre>
 *
 * 42 bytes, padded with zeros to the 60 of the shortest Ethernet frame; what follows byte 42 in a
 * received frame is padding and is not read. Only Ethernet and IPv4 are served: a packet naming
 * another hardware or protocol type is refused, as is any operation but 3 and 4.
 */
public final class RarpCodec {

    /** The RARP EtherType. */
    public static final int ETHERTYPE = 0x8035;
    public static final int ETHERNET_ADDRESS_LENGTH = 6;
    /** Header and packet, before padding. */
    public static final int LENGTH = 42;
    /** The shortest Ethernet frame, without the frame check sequence. */
    public static final int MIN_FRAME = 60;

    private static final int HARDWARE_ETHERNET = 1;
    private static final int PROTOCOL_IPV4 = 0x0800;
    private static final int IPV4_LENGTH = 4;

    private RarpCodec() {
    }

    /**
     * Decodes the frame between {@code frame}'s position and limit; the buffer is not moved.
     *
     * @throws RarpFormatException when it is not a RARP frame of Ethernet and IPv4
     */
    public static RarpFrame decode(ByteBuffer frame) throws RarpFormatException {
        int at = frame.position();
        int available = frame.remaining();
        if (available < LENGTH) {
            throw new RarpFormatException("frame of " + available + " bytes is shorter than the " + LENGTH
                    + " of a RARP frame");
        }
        int etherType = frame.getShort(at + 12) & 0xFFFF;
        if (etherType != ETHERTYPE) {
            throw new RarpFormatException(String.format("EtherType 0x%04x, not RARP (0x8035)", etherType));
        }
        int hardware = frame.getShort(at + 14) & 0xFFFF;
        int protocol = frame.getShort(at + 16) & 0xFFFF;
        if (hardware != HARDWARE_ETHERNET || protocol != PROTOCOL_IPV4) {
            throw new RarpFormatException(String.format("hardware type %d, protocol type 0x%04x: only Ethernet (1)"
                    + " and IPv4 (0x0800) are served", hardware, protocol));
        }
        int hardwareLength = frame.get(at + 18) & 0xFF;
        int protocolLength = frame.get(at + 19) & 0xFF;
        if (hardwareLength != ETHERNET_ADDRESS_LENGTH || protocolLength != IPV4_LENGTH) {
            throw new RarpFormatException("address lengths " + hardwareLength + " and " + protocolLength
                    + ", where Ethernet and IPv4 have 6 and 4");
        }
        RarpOp op = RarpOp.valueOf(frame.getShort(at + 20) & 0xFFFF);
        return new RarpFrame(mac(frame, at), mac(frame, at + 6), op, mac(frame, at + 22), ipv4(frame, at + 28),
                mac(frame, at + 32), ipv4(frame, at + 38));
    }

    /** The frame, padded to {@link #MIN_FRAME} bytes. */
    public static byte[] encode(RarpFrame frame) {
        ByteBuffer out = ByteBuffer.allocate(MIN_FRAME);
        out.put(frame.destination().toByteArray())
                .put(frame.source().toByteArray())
                .putShort((short) ETHERTYPE)
                .putShort((short) HARDWARE_ETHERNET)
                .putShort((short) PROTOCOL_IPV4)
                .put((byte) ETHERNET_ADDRESS_LENGTH)
                .put((byte) IPV4_LENGTH)
                .putShort((short) frame.op().code())
                .put(frame.senderHardware().toByteArray())
                .put(frame.senderProtocol().getAddress())
                .put(frame.targetHardware().toByteArray())
                .put(frame.targetProtocol().getAddress());
        return out.array();
    }

    private static HardwareAddress mac(ByteBuffer frame, int index) {
        byte[] bytes = new byte[ETHERNET_ADDRESS_LENGTH];
        frame.get(index, bytes);
        return HardwareAddress.ethernet(bytes);
    }

    private static Inet4Address ipv4(ByteBuffer frame, int index) {
        byte[] bytes = new byte[IPV4_LENGTH];
        frame.get(index, bytes);
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are always an IPv4 address", impossible);
        }
    }
}

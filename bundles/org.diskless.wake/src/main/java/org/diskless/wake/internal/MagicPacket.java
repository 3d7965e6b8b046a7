package org.diskless.wake.internal;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.link.EthernetLinks;

/**
 * The Wake-on-LAN magic packet (AMD's "Magic Packet Technology" white paper): six bytes of 0xFF,
 * then the target's MAC sixteen times, then the SecureOn password if the card wants one. The same
 * bytes travel as a UDP payload or straight after an Ethernet header of type 0x0842.
 */
public final class MagicPacket {

    /** Synchronisation stream and sixteen copies of a 6-byte MAC. */
    public static final int LENGTH = 6 + 16 * 6;
    private static final int ETHERNET_HEADER = 14;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private MagicPacket() {
    }

    /** The payload that wakes {@code target}: 102 bytes, 106 or 108 with a password. */
    public static byte[] payload(HardwareAddress target, Optional<SecureOnPassword> password) {
        if (target.length() != 6) {
            throw new IllegalArgumentException("Wake-on-LAN wakes Ethernet cards; " + target + " is not a 6-byte MAC");
        }
        byte[] mac = target.toByteArray();
        byte[] secret = password.map(SecureOnPassword::toByteArray).orElse(new byte[0]);
        ByteBuffer packet = ByteBuffer.allocate(LENGTH + secret.length);
        packet.put(BROADCAST);
        for (int i = 0; i < 16; i++) {
            packet.put(mac);
        }
        packet.put(secret);
        return packet.array();
    }

    /**
     * A whole Ethernet frame (no FCS) to every station of the segment, from {@code source}, of type
     * 0x0842, carrying {@code payload}; at least 102 bytes of payload, so it needs no padding.
     */
    public static ByteBuffer ethernetFrame(HardwareAddress source, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(ETHERNET_HEADER + payload.length);
        frame.put(BROADCAST);
        frame.put(source.toByteArray());
        frame.putShort((short) EthernetLinks.ETHERTYPE_WAKE_ON_LAN);
        frame.put(payload);
        return frame.flip();
    }
}

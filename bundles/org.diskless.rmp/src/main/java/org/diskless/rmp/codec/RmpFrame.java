package org.diskless.rmp.codec;

import java.util.Objects;

import org.diskless.api.HardwareAddress;

/**
 * An RMP packet with its link-layer envelope: IEEE 802.3 addresses and the HP extended SAPs of
 * the LLC header ({@link RmpCodec#SERVER_SAP} for frames to a server, {@link RmpCodec#CLIENT_SAP}
 * for frames to a client).
 */
public record RmpFrame(HardwareAddress destination, HardwareAddress source, int destinationSap, int sourceSap,
        RmpPacket packet) {

    public RmpFrame {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(packet, "packet");
        if (destination.length() != 6 || source.length() != 6) {
            throw new IllegalArgumentException("RMP frames carry 6-byte Ethernet addresses");
        }
        if (destinationSap < 0 || destinationSap > 0xFFFF || sourceSap < 0 || sourceSap > 0xFFFF) {
            throw new IllegalArgumentException("HP extended SAPs are 16-bit values");
        }
    }

    /** A frame from a client (boot ROM) to a server. */
    public static RmpFrame toServer(HardwareAddress destination, HardwareAddress client, RmpPacket packet) {
        return new RmpFrame(destination, client, RmpCodec.SERVER_SAP, RmpCodec.CLIENT_SAP, packet);
    }

    /** A server's answer to a client. */
    public static RmpFrame toClient(HardwareAddress client, HardwareAddress server, RmpPacket packet) {
        return new RmpFrame(client, server, RmpCodec.CLIENT_SAP, RmpCodec.SERVER_SAP, packet);
    }

    public boolean isToServer() {
        return destinationSap == RmpCodec.SERVER_SAP;
    }
}

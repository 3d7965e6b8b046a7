package org.diskless.rarp.codec;

import java.net.Inet4Address;
import java.util.Objects;

import org.diskless.api.HardwareAddress;

/**
 * A RARP packet of Ethernet and IPv4 (RFC 903) with its Ethernet addresses: the frame's destination
 * and source, then the packet's sender and target hardware and protocol addresses. In a request
 * the target hardware address is the machine that wants its address; in a reply the target
 * protocol address is that address, and the sender fields are the server's.
 */
public record RarpFrame(HardwareAddress destination, HardwareAddress source, RarpOp op,
        HardwareAddress senderHardware, Inet4Address senderProtocol,
        HardwareAddress targetHardware, Inet4Address targetProtocol) {

    public RarpFrame {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(senderProtocol, "senderProtocol");
        Objects.requireNonNull(targetProtocol, "targetProtocol");
        for (HardwareAddress address : new HardwareAddress[] {destination, source, senderHardware, targetHardware}) {
            if (Objects.requireNonNull(address, "hardware address").length() != RarpCodec.ETHERNET_ADDRESS_LENGTH) {
                throw new IllegalArgumentException("RARP on Ethernet carries 6-byte addresses, not " + address);
            }
        }
    }

    /**
     * The reply to {@code request}: from the server ({@code server}, {@code serverAddress}) back to
     * the machine that asked, telling it that {@code assigned} is the address of the hardware it
     * asked about.
     */
    public static RarpFrame replyTo(RarpFrame request, HardwareAddress server, Inet4Address serverAddress,
            Inet4Address assigned) {
        return new RarpFrame(request.source(), server, RarpOp.REPLY_REVERSE, server, serverAddress,
                request.targetHardware(), assigned);
    }
}

package org.diskless.link;

import java.util.Collection;

import org.diskless.api.HardwareAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens raw Ethernet ports. On Linux a port is an {@code AF_PACKET} socket, which needs root or
 * {@code CAP_NET_RAW}; elsewhere {@link #open} fails with {@link LinkException.Reason#UNSUPPORTED}.
 */
@ProviderType
public interface EthernetLinks {

    /** Linux {@code ETH_P_802_2}: every IEEE 802.3 frame whose length field carries an LLC header. */
    int PROTOCOL_802_2 = 0x0004;

    /** Linux {@code ETH_P_ALL}: every frame, whatever its type or length field. */
    int PROTOCOL_ALL = 0x0003;

    /** The EtherType of Wake-on-LAN magic packets. */
    int ETHERTYPE_WAKE_ON_LAN = 0x0842;

    /**
     * Opens a port on one interface for frames of one protocol.
     *
     * @param interfaceName   the interface, e.g. {@code eth1}
     * @param protocol        an EtherType, or {@link #PROTOCOL_802_2} / {@link #PROTOCOL_ALL}
     * @param multicastGroups link-layer multicast addresses to receive as well (joined for as long
     *                        as the port is open)
     * @throws LinkException with the reason an operator can act on: no such interface, not allowed
     *                       (root or CAP_NET_RAW needed), unsupported platform
     */
    EthernetPort open(String interfaceName, int protocol, Collection<HardwareAddress> multicastGroups)
            throws LinkException;
}

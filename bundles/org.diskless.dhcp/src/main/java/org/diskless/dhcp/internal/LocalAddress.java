package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An IPv4 address configured on one of this host's interfaces. */
record LocalAddress(String interfaceName, Inet4Address address, int prefix) {

    /**
     * The host's IPv4 addresses, loopback left out. An interface without carrier counts: a boot
     * network's bridge before its first port comes up, or a NIC whose cable is not plugged in yet,
     * is still the network the operator configured, and refusing it would need a restart later.
     */
    static List<LocalAddress> ofHost() {
        List<LocalAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isLoopback()) {
                    continue;
                }
                for (InterfaceAddress address : nic.getInterfaceAddresses()) {
                    if (address.getAddress() instanceof Inet4Address v4) {
                        out.add(new LocalAddress(nic.getName(), v4, address.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list this host's network interfaces: " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }
}

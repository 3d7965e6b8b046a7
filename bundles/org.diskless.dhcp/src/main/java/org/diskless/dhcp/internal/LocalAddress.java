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

    /** The host's IPv4 addresses on interfaces that are up, loopback left out. */
    static List<LocalAddress> ofHost() {
        List<LocalAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
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

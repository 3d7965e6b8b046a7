package org.diskless.rarp.internal;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Optional;

/** {@link LinkNetworks} from the interface's addresses as the operating system reports them now. */
final class InterfaceNetworks implements LinkNetworks {

    @Override
    public Optional<Inet4Address> ourAddressFor(String interfaceName, Inet4Address client) {
        NetworkInterface nic;
        try {
            nic = NetworkInterface.getByName(interfaceName);
        } catch (SocketException e) {
            return Optional.empty();
        }
        if (nic == null) {
            return Optional.empty();
        }
        for (InterfaceAddress address : nic.getInterfaceAddresses()) {
            if (address.getAddress() instanceof Inet4Address ours
                    && sameNetwork(ours, client, address.getNetworkPrefixLength())) {
                return Optional.of(ours);
            }
        }
        return Optional.empty();
    }

    static boolean sameNetwork(Inet4Address a, Inet4Address b, int prefixLength) {
        if (prefixLength <= 0 || prefixLength > 32) {
            return false;
        }
        int mask = prefixLength == 32 ? -1 : ~(-1 >>> prefixLength);
        return (toInt(a) & mask) == (toInt(b) & mask);
    }

    private static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }
}

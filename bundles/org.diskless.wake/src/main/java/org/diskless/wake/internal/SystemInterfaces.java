package org.diskless.wake.internal;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.diskless.api.network.BootNetwork;

/** {@link LocalInterfaces} from {@link NetworkInterface}, asked afresh each time: interfaces come and go. */
final class SystemInterfaces implements LocalInterfaces {

    @Override
    public Optional<Local> in(BootNetwork network) {
        for (NetworkInterface nic : all()) {
            for (InterfaceAddress address : nic.getInterfaceAddresses()) {
                if (address.getAddress() instanceof Inet4Address v4 && network.contains(v4)) {
                    return Optional.of(new Local(nic.getName(), Optional.of(v4)));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Local> named(String name) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            if (nic == null) {
                return Optional.empty();
            }
            return Optional.of(new Local(name, nic.getInterfaceAddresses().stream().map(InterfaceAddress::getAddress)
                    .filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast).findFirst()));
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static List<NetworkInterface> all() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces());
        } catch (SocketException e) {
            return List.of();
        }
    }
}

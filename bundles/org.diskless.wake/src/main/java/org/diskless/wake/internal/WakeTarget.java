package org.diskless.wake.internal;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

import org.diskless.api.HardwareAddress;

/**
 * A machine to wake, as the inventory knows it.
 *
 * @param name     the node's name, or its MAC for a machine the inventory does not hold
 * @param mac      the card to wake
 * @param address  its fixed address, which tells the network the packet goes to
 * @param kernel   its kernel boot file, which {@code --until kernel} waits for
 */
public record WakeTarget(String name, HardwareAddress mac, Optional<InetAddress> address, Optional<String> kernel) {

    public WakeTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kernel, "kernel");
    }

    /** A machine known only by its MAC. */
    static WakeTarget unknown(HardwareAddress mac) {
        return new WakeTarget(mac.toString(), mac, Optional.empty(), Optional.empty());
    }
}

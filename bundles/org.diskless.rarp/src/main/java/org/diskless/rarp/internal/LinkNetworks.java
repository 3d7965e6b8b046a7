package org.diskless.rarp.internal;

import java.net.Inet4Address;
import java.util.Optional;

/** This host's IPv4 addresses on an interface, as RARP needs them for the sender of a reply. */
interface LinkNetworks {

    /**
     * Our address on {@code interfaceName} in the same network as {@code client}: the sender of a
     * reply that gives the client that address. Empty when no network of the interface holds it
     * (the client could not use the address there) or the interface has no IPv4 address.
     */
    Optional<Inet4Address> ourAddressFor(String interfaceName, Inet4Address client);
}

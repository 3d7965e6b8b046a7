package org.diskless.wake.internal;

import java.net.Inet4Address;
import java.util.Optional;

import org.diskless.api.network.BootNetwork;

/** This host's interfaces, as far as choosing where a magic packet leaves needs them. */
interface LocalInterfaces {

    /** An interface and its IPv4 address (empty for a boot segment without one). */
    record Local(String name, Optional<Inet4Address> address) {
    }

    /** The interface holding an address inside {@code network}. */
    Optional<Local> in(BootNetwork network);

    /** The interface of that name, when this host has it. */
    Optional<Local> named(String name);
}

package org.diskless.wake.internal;

import java.net.Inet4Address;
import java.util.Optional;

/**
 * Where a node's magic packets go.
 *
 * @param broadcast     the UDP destination: its network's broadcast, the operator's, or 255.255.255.255
 * @param source        the local address the UDP socket is bound to, so that a limited broadcast leaves
 *                      through that address's interface rather than the default route's
 * @param interfaceName the interface raw Ethernet frames go out of; empty when none is known
 * @param via           how the route was chosen, for the progress line ({@code network boot (192.0.2.0/24)})
 */
record WakeRoute(Inet4Address broadcast, Optional<Inet4Address> source, Optional<String> interfaceName, String via) {
}

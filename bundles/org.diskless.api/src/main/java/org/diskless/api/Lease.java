package org.diskless.api;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Objects;

/**
 * An address bound to a client until {@code expires}.
 *
 * @param clientId the DHCP client identifier (option 61) or, without one, the hardware type and
 *                 address, as opaque bytes rendered in hex
 */
public record Lease(String clientId, HardwareAddress hardwareAddress, Inet4Address address,
                    Instant start, Instant expires, State state) {

    public enum State { OFFERED, BOUND, RELEASED, DECLINED }

    public Lease {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(state, "state");
        if (expires.isBefore(start)) {
            throw new IllegalArgumentException("lease for " + address + " expires before it starts");
        }
    }

    public boolean isActiveAt(Instant now) {
        return state == State.BOUND && now.isBefore(expires);
    }
}

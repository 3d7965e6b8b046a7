package org.diskless.api.leases;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Objects;

import org.diskless.api.HardwareAddress;

/**
 * An address bound to a client until {@link #expires}. Made by {@link #of}; a field added in a
 * later release comes with a new factory, so no caller breaks.
 */
public final class Lease {

    public enum State { OFFERED, BOUND, RELEASED, DECLINED }

    private final String clientId;
    private final HardwareAddress hardwareAddress;
    private final Inet4Address address;
    private final Instant start;
    private final Instant expires;
    private final State state;

    private Lease(String clientId, HardwareAddress hardwareAddress, Inet4Address address, Instant start,
                  Instant expires, State state) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.hardwareAddress = Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        this.address = Objects.requireNonNull(address, "address");
        this.start = Objects.requireNonNull(start, "start");
        this.expires = Objects.requireNonNull(expires, "expires");
        this.state = Objects.requireNonNull(state, "state");
        if (expires.isBefore(start)) {
            throw new IllegalArgumentException("lease for " + address + " expires before it starts");
        }
    }

    /**
     * @param clientId the DHCP client identifier (option 61) or, without one, the hardware type and
     *                 address, as opaque bytes rendered in hex
     */
    public static Lease of(String clientId, HardwareAddress hardwareAddress, Inet4Address address, Instant start,
                           Instant expires, State state) {
        return new Lease(clientId, hardwareAddress, address, start, expires, state);
    }

    public String clientId() {
        return clientId;
    }

    public HardwareAddress hardwareAddress() {
        return hardwareAddress;
    }

    public Inet4Address address() {
        return address;
    }

    public Instant start() {
        return start;
    }

    public Instant expires() {
        return expires;
    }

    public State state() {
        return state;
    }

    public boolean isActiveAt(Instant now) {
        return state == State.BOUND && now.isBefore(expires);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lease other && clientId.equals(other.clientId)
                && hardwareAddress.equals(other.hardwareAddress) && address.equals(other.address)
                && start.equals(other.start) && expires.equals(other.expires) && state == other.state;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, hardwareAddress, address, start, expires, state);
    }

    @Override
    public String toString() {
        return "Lease[clientId=" + clientId + ", hardwareAddress=" + hardwareAddress + ", address=" + address
                + ", start=" + start + ", expires=" + expires + ", state=" + state + "]";
    }
}

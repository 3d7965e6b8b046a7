package org.diskless.dhcp.internal;

import java.time.Instant;

import org.diskless.api.HardwareAddress;

/**
 * Who holds a dynamic address right now, as the running server sees it.
 *
 * @param expires when the hold ends: the offer's hold time, the lease's end, or the quarantine
 *                of a declined address
 */
record Binding(String clientId, HardwareAddress hardwareAddress, int address, State state, Instant expires) {

    enum State {
        /** Offered and held for the client for a short while; not durable. */
        OFFERED,
        /** Acknowledgement being written to the lease store; the ACK goes out when it is durable. */
        COMMITTING,
        /** Leased: the client holds it until {@code expires}. */
        BOUND,
        /** A client found the address in use (DHCPDECLINE); nobody gets it until {@code expires}. */
        DECLINED
    }

    boolean heldBy(String client) {
        return state != State.DECLINED && clientId.equals(client);
    }

    boolean isOver(Instant now) {
        return state != State.COMMITTING && !now.isBefore(expires);
    }
}

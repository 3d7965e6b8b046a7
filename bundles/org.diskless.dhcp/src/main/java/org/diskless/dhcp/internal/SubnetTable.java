package org.diskless.dhcp.internal;

import java.util.Optional;

/**
 * Where subnet configurations land: the DHCP server takes each one that fits beside the others,
 * and refuses with the reason one that does not (overlap, no address of ours to serve it from).
 */
public interface SubnetTable {

    /** Adds or replaces the subnet of configuration {@code pid}; returns the refusal, if refused. */
    Optional<Refusal> put(String pid, Subnet subnet);

    void remove(String pid);

    /**
     * Why a subnet is not served as configured.
     *
     * @param why          the reason, naming the key and value when one is to blame
     * @param keepsServing what serves meanwhile, and when the subnet is looked at again
     */
    record Refusal(String why, String keepsServing) {
    }
}

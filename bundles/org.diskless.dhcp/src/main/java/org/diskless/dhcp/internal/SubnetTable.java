package org.diskless.dhcp.internal;

/**
 * Where subnet configurations land: the DHCP server takes each one that fits beside the others,
 * and refuses with the reason one that does not (overlap, no address of ours to serve it from).
 */
public interface SubnetTable {

    /** Adds or replaces the subnet of configuration {@code pid}; returns the refusal, if refused. */
    java.util.Optional<String> put(String pid, Subnet subnet);

    void remove(String pid);
}

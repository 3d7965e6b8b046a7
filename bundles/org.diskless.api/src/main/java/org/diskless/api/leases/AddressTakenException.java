package org.diskless.api.leases;

import java.net.Inet4Address;

/**
 * How {@link LeaseStore#commit} fails when the address is another client's in the store: a store
 * shared by several servers can know a lease that the committing server had not yet heard of.
 * The DHCP server then refuses the address to its client (DHCPNAK) and keeps it out of its offers;
 * any other failure means only that the lease could not be written now.
 */
public final class AddressTakenException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Inet4Address address;

    public AddressTakenException(Inet4Address address, String message) {
        super(message, null, false, false);
        this.address = address;
    }

    /** The address the store holds for another client. */
    public Inet4Address address() {
        return address;
    }
}

package org.diskless.leases.postgresql.internal;

/** A lease the store did not record, and why; the DHCP server then sends no ACK for it. */
final class LeaseRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    LeaseRefusedException(String message) {
        super(message, null, false, false);
    }
}

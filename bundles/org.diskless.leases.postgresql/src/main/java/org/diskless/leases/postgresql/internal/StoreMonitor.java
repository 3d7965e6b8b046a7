package org.diskless.leases.postgresql.internal;

import java.util.Optional;

import org.diskless.api.leases.LeaseStore;

/** The running PostgreSQL store as the shell commands see it; published by {@link PostgresqlLeaseStoreComponent}. */
public interface StoreMonitor {

    /** What the store did since it opened; empty while none runs. */
    Optional<StoreStatus> status();

    /** The store the DHCP server uses, to import leases into. */
    LeaseStore store();
}

package org.diskless.api.leases;

import java.net.Inet4Address;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Leases that survive a crash. A lease counts as given only once {@link #commit} has completed:
 * the DHCP server sends its ACK after that, never before.
 */
@ProviderType
public interface LeaseStore {

    /**
     * Records the lease durably; completes once it would survive a power cut, with the lease as
     * recorded. That may expire earlier than asked (a shared store that cannot reach its database
     * renews a lease only up to the expiry it already holds); the DHCP server grants what it gets.
     * Fails with {@link AddressTakenException} when the address is another client's in the store.
     */
    CompletionStage<Lease> commit(Lease lease);

    /**
     * As {@link #commit(Lease)}, with the stage completing on {@code executor}, so that a caller
     * that goes on on its own thread (the DHCP server's event loop) needs no hand-over of its own.
     * A store that completes commits in groups may run the completions of a group as one task.
     * This default hands each completion to {@code executor} after the store completed it.
     */
    default CompletionStage<Lease> commit(Lease lease, Executor executor) {
        return commit(lease).whenCompleteAsync((recorded, failure) -> { }, executor);
    }

    Optional<Lease> byAddress(Inet4Address address);

    Optional<Lease> byClientId(String clientId);

    /** Every lease the store holds, expired ones included until they are compacted away. */
    Collection<Lease> leases();
}

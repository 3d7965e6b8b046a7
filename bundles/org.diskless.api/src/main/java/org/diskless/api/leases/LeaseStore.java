package org.diskless.api.leases;

import java.net.Inet4Address;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Leases that survive a crash. A lease counts as given only once {@link #commit} has completed:
 * the DHCP server sends its ACK after that, never before.
 */
@ProviderType
public interface LeaseStore {

    /** Records the lease durably; completes once it would survive a power cut. */
    CompletionStage<Lease> commit(Lease lease);

    Optional<Lease> byAddress(Inet4Address address);

    Optional<Lease> byClientId(String clientId);

    /** Every lease the store holds, expired ones included until they are compacted away. */
    Collection<Lease> leases();
}

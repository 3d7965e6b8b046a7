package org.diskless.api.network;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How full each subnet's dynamic address pool is, as the DHCP server holds it now: a read-only view
 * for metrics exporters and status pages. Registered by the DHCP server while it serves; gone with it.
 */
@ProviderType
public interface AddressPools {

    /** Every configured subnet's pool (a subnet with fixed addresses only has a pool of size 0), in name order. */
    List<PoolUsage> pools();
}

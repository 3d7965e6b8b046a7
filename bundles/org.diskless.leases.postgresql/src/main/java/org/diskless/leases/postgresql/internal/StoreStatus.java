package org.diskless.leases.postgresql.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * What the store did since it opened, for {@code leases:postgresql} and the logs.
 *
 * @param url              the database (the JDBC URL, which holds no password)
 * @param reachable        whether the database answers now
 * @param downSince        when it stopped answering, while it does not
 * @param cached           leases in this server's cache
 * @param committed        leases written and committed
 * @param taken            leases refused because the address belongs to another client (another server won)
 * @param renewedWhileDown renewals acknowledged from the cache, within the time already recorded, while the database was down
 * @param refusedWhileDown new leases, releases and extensions refused while the database was down
 * @param failed           leases not written for another database error
 * @param reconnections    times the database came back
 */
public record StoreStatus(String url, boolean reachable, Optional<Instant> downSince, int cached, long committed, long taken,
                   long renewedWhileDown, long refusedWhileDown, long failed, long reconnections) {
}

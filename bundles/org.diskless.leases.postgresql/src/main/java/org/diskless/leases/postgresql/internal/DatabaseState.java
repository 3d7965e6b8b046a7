package org.diskless.leases.postgresql.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database answers, as the writer and the cache feed find it. Each change is logged
 * once, when it happens; while the database is down the store refuses what it cannot record.
 */
final class DatabaseState {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseState.class);

    private final String url;
    private final Clock clock;
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final AtomicLong reconnections = new AtomicLong();
    /** Null while the database answers; starts down until the first connection succeeds. */
    private volatile Instant downSince;
    private boolean connectedOnce;

    DatabaseState(String url, Clock clock) {
        this.url = url;
        this.clock = clock;
        this.downSince = clock.instant();
    }

    boolean reachable() {
        return downSince == null;
    }

    Optional<Instant> downSince() {
        return Optional.ofNullable(downSince);
    }

    long reconnections() {
        return reconnections.get();
    }

    synchronized void down(String why) {
        if (!connectedOnce) {
            throttle.warn(LOG, "unreached", "Cannot reach the lease database {}: {}. Retrying; until it answers no"
                    + " lease is given", url, why);
            return;
        }
        if (downSince == null) {
            downSince = clock.instant();
            LOG.error("The lease database {} does not answer: {}. Known leases are renewed within the times already"
                    + " recorded; new leases are refused until it answers again (retried by itself)", url, why);
        }
    }

    synchronized void up(int cached) {
        Instant since = downSince;
        if (since == null) {
            return;
        }
        downSince = null;
        if (!connectedOnce) {
            connectedOnce = true;
            LOG.info("Lease database {} connected; {} leases loaded", url, cached);
        } else {
            reconnections.incrementAndGet();
            LOG.info("Lease database {} answers again after {} s; {} leases reloaded, new leases accepted again",
                    url, Duration.between(since, clock.instant()).toSeconds(), cached);
        }
    }
}

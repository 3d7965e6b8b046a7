package org.diskless.leases.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The journal's own account of a spell of commits (a boot storm, a benchmark step): how long its
 * syncs took (write and {@code fdatasync}, what the disk costs) and how long each commit waited
 * from {@code commit} until it was durable (the disk plus the wait for a group). A spell ends after
 * {@link #QUIET_NANOS} without a commit; one that carried at least {@link #MIN_LEASES} leases is
 * worth a log line, so an operator reads one line per storm, and a trickle of renewals says
 * nothing. Owned by the journal's writer thread.
 */
final class BusySpell {

    /** A second without a commit ends a spell. */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Fewer leases than this in a spell are not worth a line. */
    static final long MIN_LEASES = 1000;

    private final DelayHistogram syncs = new DelayHistogram();
    private final DelayHistogram durable = new DelayHistogram();
    private long startedAt;
    private long lastAt;

    /** One sync of a group, {@code nanos} from its first write until {@code fdatasync} returned. */
    void synced(long at, long nanos) {
        if (syncs.count() == 0) {
            startedAt = at - nanos;
        }
        lastAt = at;
        syncs.record(nanos);
    }

    /** One lease of that group, durable {@code nanos} after it was committed. */
    void durable(long nanos) {
        durable.record(nanos);
    }

    boolean isOpen() {
        return syncs.count() > 0;
    }

    /**
     * Ends the spell: the line to log when it was worth one, then forgets it.
     */
    Optional<String> end() {
        Optional<String> line = Optional.empty();
        if (durable.count() >= MIN_LEASES) {
            line = Optional.of(String.format(Locale.ROOT, "busy spell of %.1f s ended: %d leases in %d syncs;"
                    + " sync ms %s; commit to durable ms %s", (lastAt - startedAt) / 1e9, durable.count(),
                    syncs.count(), syncs.summaryMillis(), durable.summaryMillis()));
        }
        syncs.reset();
        durable.reset();
        return line;
    }
}

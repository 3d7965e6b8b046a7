package org.diskless.boot.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.diskless.api.boot.BootEvent;

/**
 * One client's kept boots, oldest first, and what {@link TimelineBook} needs to bound them: when
 * the client was last recorded and the heap its boots hold. Not thread-safe by itself: the book
 * holds this object's monitor around every call, one client at a time, so that clients are recorded
 * in parallel while each client's events stay in order. Which boot an event belongs to is
 * {@link BootRules}' rule.
 */
final class ClientHistory {

    /** Until the first event is in: the client is not yet counted nor ordered. */
    static final long NEVER = 0;

    private final ClientKey client;
    private final ArrayDeque<BootRecord> boots = new ArrayDeque<>(4);
    private long retainedBytes = KeptEvent.CLIENT_BYTES;
    private long lastActive = NEVER;
    private boolean forgotten;

    ClientHistory(ClientKey client) {
        this.client = client;
    }

    ClientKey client() {
        return client;
    }

    /**
     * Adds an event to the client's latest boot or starts a new one, dropping the oldest boots
     * beyond {@code bootsPerNode}; returns by how much the heap held changed (including the client
     * itself when this is its first event).
     */
    long add(BootEvent event, TimelineSettings settings, BootTally tally) {
        long before = lastActive == NEVER ? 0 : retainedBytes;
        BootRecord latest = boots.peekLast();
        if (latest == null || BootRules.startsNewBoot(latest, event, settings)) {
            if (latest != null) {
                latest.finish(tally);
            }
            tally.started();
            BootRecord boot = new BootRecord(client, event, settings.eventsPerBoot());
            boots.addLast(boot);
            retainedBytes += boot.retainedBytes();
            while (boots.size() > settings.bootsPerNode()) {
                retainedBytes -= boots.removeFirst().retainedBytes();
            }
        } else {
            long boot = latest.retainedBytes();
            latest.add(event);
            retainedBytes += latest.retainedBytes() - boot;
        }
        return retainedBytes - before;
    }

    /**
     * Finishes the latest boot when its client has been quiet for longer than {@code quietGap} at
     * {@code now}; returns whether it is still in progress.
     */
    boolean finishIfQuiet(Instant now, Duration quietGap, BootTally tally) {
        BootRecord latest = boots.peekLast();
        if (latest == null || latest.finished()) {
            return false;
        }
        if (Duration.between(latest.last().time(), now).compareTo(quietGap) > 0) {
            latest.finish(tally);
            return false;
        }
        return true;
    }

    /** Forgotten, the client's boot in progress is over for the counts: it finishes as it stands. */
    void forget(BootTally tally) {
        BootRecord latest = boots.peekLast();
        if (latest != null) {
            latest.finish(tally);
        }
        forgotten = true;
    }

    /** Starts the client's history with a boot read back after a restart; returns the heap it holds. */
    long restore(BootRecord saved) {
        boots.addLast(saved);
        retainedBytes += saved.retainedBytes();
        return retainedBytes;
    }

    /** The heap this client holds, by {@link KeptEvent}'s estimates. */
    long retainedBytes() {
        return retainedBytes;
    }

    /** When the client was last recorded: a tick of the book's clock, or {@link #NEVER}. */
    long lastActive() {
        return lastActive;
    }

    void active(long tick) {
        lastActive = tick;
    }

    /** Once forgotten (evicted from the book), nothing more is added here: a later event starts afresh. */
    boolean forgotten() {
        return forgotten;
    }

    /** The kept boots, newest first. */
    List<BootView> views() {
        List<BootView> views = new ArrayList<>(boots.size());
        boots.descendingIterator().forEachRemaining(boot -> views.add(boot.view()));
        return views;
    }

    /** The latest boot; null before the first event. */
    BootView latest() {
        BootRecord latest = boots.peekLast();
        return latest == null ? null : latest.view();
    }
}

package org.diskless.boot.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.diskless.api.boot.BootEvent;

/**
 * One boot of one client as kept: its first events, then (when it had more than the history
 * keeps) how many were left out, then its latest events. The totals count every event, kept or not.
 * Events are numbered from 0 in the order they came, counting those left out.
 *
 * @param files         files sent or received completely
 * @param bytes         bytes of those files
 * @param failures      the steps that went wrong after which the boot got no further ({@link BootRules})
 * @param failureFrom   the number of the first of those steps, {@link #NO_FAILURE} without failures
 * @param pastDiscovery whether the client got further than asking for an address and being offered one
 */
public record BootView(ClientKey client, Instant started, Instant lastActivity, List<BootEvent> first,
                       long omitted, List<BootEvent> latest, int files, long bytes, int failures,
                       long failureFrom, boolean pastDiscovery) {

    public static final long NO_FAILURE = -1;

    public BootView {
        Objects.requireNonNull(client, "client");
        first = List.copyOf(first);
        latest = List.copyOf(latest);
    }

    /** The number of the event at {@code index} of {@link #latest}. */
    public long latestNumber(int index) {
        return first.size() + omitted + index;
    }

    /** Whether the event numbered {@code number} is one of the boot's {@link #failures}. */
    public boolean isFailure(BootEvent event, long number) {
        return failureFrom != NO_FAILURE && number >= failureFrom && BootRules.wentWrong(event);
    }

    /** The most recent event: where the client stands. */
    public BootEvent lastEvent() {
        return latest.isEmpty() ? first.get(first.size() - 1) : latest.get(latest.size() - 1);
    }

    public long eventCount() {
        return first.size() + omitted + latest.size();
    }
}

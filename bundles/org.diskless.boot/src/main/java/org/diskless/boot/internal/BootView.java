package org.diskless.boot.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.diskless.api.boot.BootEvent;

/**
 * One boot of one client as kept: its first events, then (when it had more than the history
 * keeps) how many were left out, then its latest events. The totals count every event, kept or not.
 *
 * @param files    files sent or received completely
 * @param bytes    bytes of those files
 * @param failures failed transfers and DHCP refusals (NAK, DECLINE)
 */
public record BootView(ClientKey client, Instant started, Instant lastActivity, List<BootEvent> first,
                       long omitted, List<BootEvent> latest, int files, long bytes, int failures) {

    public BootView {
        Objects.requireNonNull(client, "client");
        first = List.copyOf(first);
        latest = List.copyOf(latest);
    }

    /** The most recent event: where the client stands. */
    public BootEvent lastEvent() {
        return latest.isEmpty() ? first.get(first.size() - 1) : latest.get(latest.size() - 1);
    }

    public long eventCount() {
        return first.size() + omitted + latest.size();
    }
}

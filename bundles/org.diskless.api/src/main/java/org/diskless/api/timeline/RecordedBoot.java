package org.diskless.api.timeline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.diskless.api.boot.BootEvent;

/**
 * One boot of one client as kept: its events in the order they came, of which a long boot keeps the
 * first and the latest, and how many between them were only counted. Built with {@link #builder},
 * so that a field added later breaks no caller.
 */
public final class RecordedBoot {

    private final Instant started;
    private final Instant lastActivity;
    private final List<BootEvent> events;
    private final long omittedEvents;
    private final List<BootEvent> failures;

    private RecordedBoot(Builder b) {
        this.started = Objects.requireNonNull(b.started, "started");
        this.lastActivity = Objects.requireNonNull(b.lastActivity, "lastActivity");
        if (lastActivity.isBefore(started)) {
            throw new IllegalArgumentException("last activity " + lastActivity + " is before the start " + started);
        }
        this.events = List.copyOf(b.events);
        if (b.omittedEvents < 0) {
            throw new IllegalArgumentException("omitted events must not be negative: " + b.omittedEvents);
        }
        this.omittedEvents = b.omittedEvents;
        this.failures = List.copyOf(b.failures);
    }

    public static Builder builder(Instant started, Instant lastActivity) {
        return new Builder(started, lastActivity);
    }

    /** When the boot's first event came. */
    public Instant started() {
        return started;
    }

    /** When its latest event came: where the boot stands in time. */
    public Instant lastActivity() {
        return lastActivity;
    }

    /**
     * The kept events, oldest first; when {@link #omittedEvents()} is above 0, the events between
     * the first and the latest ones kept are missing here. Details come from the network: they are
     * escaped and capped as kept, but a consumer still caps what it prints.
     */
    public List<BootEvent> events() {
        return events;
    }

    /** How many events of this boot were counted but not kept. */
    public long omittedEvents() {
        return omittedEvents;
    }

    /**
     * The kept events that are failures of the boot, oldest first: steps that went wrong (a refused
     * request, a transfer that broke off, a NAK or DECLINE) after which the boot got no further, by
     * the same rules as {@code boot:status}. Empty for a boot that went on past every error.
     */
    public List<BootEvent> failures() {
        return failures;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedBoot other && started.equals(other.started)
                && lastActivity.equals(other.lastActivity) && events.equals(other.events)
                && omittedEvents == other.omittedEvents && failures.equals(other.failures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(started, lastActivity, events, omittedEvents, failures);
    }

    @Override
    public String toString() {
        return "RecordedBoot[started=" + started + ", lastActivity=" + lastActivity + ", events=" + events.size()
                + ", omittedEvents=" + omittedEvents + ", failures=" + failures.size() + "]";
    }

    /** Collects a boot's values; start and last activity are required. */
    public static final class Builder {
        private final Instant started;
        private final Instant lastActivity;
        private List<BootEvent> events = List.of();
        private long omittedEvents;
        private List<BootEvent> failures = List.of();

        private Builder(Instant started, Instant lastActivity) {
            this.started = started;
            this.lastActivity = lastActivity;
        }

        /** The kept events, oldest first. */
        public Builder events(List<BootEvent> events) {
            this.events = List.copyOf(events);
            return this;
        }

        public Builder omittedEvents(long omittedEvents) {
            this.omittedEvents = omittedEvents;
            return this;
        }

        /** The kept events that are failures of the boot (see {@link RecordedBoot#failures()}), oldest first. */
        public Builder failures(List<BootEvent> failures) {
            this.failures = List.copyOf(failures);
            return this;
        }

        public RecordedBoot build() {
            return new RecordedBoot(this);
        }
    }
}

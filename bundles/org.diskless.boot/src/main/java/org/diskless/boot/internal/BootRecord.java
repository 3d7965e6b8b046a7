package org.diskless.boot.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.diskless.api.boot.BootEvent;

/**
 * One boot being recorded, in bounded memory: the first half of the allowed events are kept as
 * they came (how the boot began), the second half as a ring of the latest (where it stands now);
 * what falls between is only counted. Events come in as {@link KeptEvent#of} made them, and the
 * record keeps count of the heap they hold. Not thread-safe: used under its {@link ClientHistory}'s lock.
 */
final class BootRecord {

    private final ClientKey client;
    private final Instant started;
    private final int headLimit;
    private final int tailLimit;
    private final List<BootEvent> head = new ArrayList<>();
    private final ArrayDeque<BootEvent> tail = new ArrayDeque<>();
    private long omitted;
    private BootEvent last;
    private boolean pastDiscovery;
    private int files;
    private long bytes;
    /** Steps that went wrong since the client last went on ({@link BootRules}), and the first of them. */
    private int failures;
    private long failureFrom = BootView.NO_FAILURE;
    private long retainedBytes = KeptEvent.BOOT_BYTES;
    /** Counted as finished in the book's {@link BootTally}: a restored boot was counted before the restart. */
    private boolean finished;

    BootRecord(ClientKey client, BootEvent first, int eventLimit) {
        this.client = client;
        this.started = first.time();
        this.headLimit = Math.max(1, eventLimit / 2);
        this.tailLimit = Math.max(1, eventLimit - headLimit);
        add(first);
    }

    /** A boot read back from {@link SavedTimelines}: as it was, cut to this many events when it holds more. */
    BootRecord(BootView saved, int eventLimit) {
        this.client = saved.client();
        this.started = saved.started();
        this.headLimit = Math.max(1, eventLimit / 2);
        this.tailLimit = Math.max(1, eventLimit - headLimit);
        // Cut to smaller limits, the events left out stay counted, so that events keep their numbers.
        List<BootEvent> first = saved.first();
        List<BootEvent> latest = saved.latest();
        head.addAll(first.subList(0, Math.min(first.size(), headLimit)));
        List<BootEvent> rest = latest.isEmpty() ? first.subList(head.size(), first.size()) : latest;
        tail.addAll(rest.subList(Math.max(0, rest.size() - tailLimit), rest.size()));
        omitted = saved.eventCount() - head.size() - tail.size();
        head.forEach(event -> retainedBytes += KeptEvent.retainedBytes(event));
        tail.forEach(event -> retainedBytes += KeptEvent.retainedBytes(event));
        last = saved.lastEvent();
        pastDiscovery = saved.pastDiscovery();
        files = saved.files();
        bytes = saved.bytes();
        failures = saved.failures();
        failureFrom = saved.failureFrom();
        finished = true;
    }

    void add(BootEvent event) {
        long ordinal = eventCount();
        retainedBytes += KeptEvent.retainedBytes(event);
        if (head.size() < headLimit) {
            head.add(event);
        } else {
            if (tail.size() == tailLimit) {
                retainedBytes -= KeptEvent.retainedBytes(tail.removeFirst());
                omitted++;
            }
            tail.addLast(event);
        }
        last = event;
        BootEvent.Kind kind = event.kind();
        if (!kind.equals(BootEvent.Kind.DISCOVER) && !kind.equals(BootEvent.Kind.OFFER)) {
            pastDiscovery = true;
        }
        if (kind.equals(BootEvent.Kind.FILE_SENT) || kind.equals(BootEvent.Kind.FILE_RECEIVED)) {
            files++;
            bytes += event.bytes();
        }
        if (BootRules.wentOn(event)) {
            failures = 0;
            failureFrom = BootView.NO_FAILURE;
        } else if (BootRules.wentWrong(event)) {
            if (failures == 0) {
                failureFrom = ordinal;
            }
            failures++;
        }
    }

    private long eventCount() {
        return head.size() + omitted + tail.size();
    }

    /** The heap this boot holds, by {@link KeptEvent}'s estimates. */
    long retainedBytes() {
        return retainedBytes;
    }

    /** The most a boot of {@code eventLimit} events can hold. */
    static long maxRetainedBytes(int eventLimit) {
        return KeptEvent.BOOT_BYTES + (long) eventLimit * KeptEvent.MAX_EVENT_BYTES;
    }

    /**
     * Counts the boot in {@code tally} as finished, completed or failed by {@link BootRules}, unless
     * it was already: a boot finishes once, when its client begins another, goes quiet or is forgotten.
     */
    void finish(BootTally tally) {
        if (!finished) {
            finished = true;
            tally.finished(Duration.between(started, last.time()), failures > 0);
        }
    }

    boolean finished() {
        return finished;
    }

    BootEvent last() {
        return last;
    }

    /** True once the client got further than asking for and being offered an address. */
    boolean pastDiscovery() {
        return pastDiscovery;
    }

    BootView view() {
        return new BootView(client, started, last.time(), head, omitted, List.copyOf(tail), files, bytes, failures,
                failureFrom, pastDiscovery);
    }
}

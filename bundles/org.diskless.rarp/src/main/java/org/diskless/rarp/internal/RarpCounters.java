package org.diskless.rarp.internal;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the RARP server counted since it started, by the names a statistics reader sees. */
final class RarpCounters {

    enum Counter {
        /** Frames to us or to everyone, from any source. */
        RECEIVED("frames_received"),
        REPLIES("replies"),
        UNDECODABLE("frames_undecodable"),
        DROPPED_GROUP_SOURCE("dropped_group_source"),
        DROPPED_OWN_SOURCE("dropped_own_source"),
        IGNORED_NOT_REQUEST("ignored_not_a_request"),
        IGNORED_UNKNOWN("ignored_unknown_client"),
        IGNORED_NO_ADDRESS("ignored_no_fixed_address"),
        IGNORED_OFF_LINK("ignored_address_not_on_link"),
        RATE_LIMITED("rate_limited"),
        SEND_FAILURES("send_failures");

        final String label;

        Counter(String label) {
            this.label = label;
        }
    }

    private final Map<Counter, LongAdder> counts = new EnumMap<>(Counter.class);

    RarpCounters() {
        for (Counter counter : Counter.values()) {
            counts.put(counter, new LongAdder());
        }
    }

    void add(Counter counter) {
        counts.get(counter).increment();
    }

    long get(Counter counter) {
        return counts.get(counter).sum();
    }

    /** Every counter by name, in a stable order. */
    Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        counts.forEach((counter, count) -> snapshot.put(counter.label, count.sum()));
        return snapshot;
    }
}

package org.diskless.rarp.internal;

import org.diskless.support.stats.EnumCounters;

/** What the RARP server counted since it started, by the names a statistics reader sees. */
final class RarpCounters extends EnumCounters<RarpCounters.Counter> {

    enum Counter {
        /** Frames to us or to everyone, from any source. */
        RECEIVED("frames_received"),
        /** Replies handed to the link; send_failures counts those it did not take. */
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

    RarpCounters() {
        super(Counter.class, counter -> counter.label);
    }
}

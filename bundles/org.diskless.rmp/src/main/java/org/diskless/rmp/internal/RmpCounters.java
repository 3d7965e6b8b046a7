package org.diskless.rmp.internal;

import org.diskless.support.stats.EnumCounters;

/**
 * What the RMP server counted since it started, by the names a statistics reader sees. Written by
 * the receiving thread and the session sweep, read by the shell.
 */
final class RmpCounters extends EnumCounters<RmpCounters.Counter> {

    enum Counter {
        REQUESTS("requests"),
        UNDECODABLE("frames_undecodable"),
        DROPPED_GROUP_SOURCE("dropped_group_source"),
        DROPPED_OWN_SOURCE("dropped_own_source"),
        IGNORED_UNKNOWN("ignored_unknown_client"),
        REPLIES("replies"),
        SEND_FAILURES("send_failures"),
        SESSIONS_OPENED("sessions_opened"),
        SESSIONS_COMPLETED("sessions_completed"),
        SESSIONS_REPLACED("sessions_replaced"),
        SESSIONS_TIMED_OUT("sessions_timed_out"),
        SESSIONS_EVICTED("sessions_evicted_unread"),
        BOOTS_REFUSED_BUSY("boots_refused_busy"),
        BOOTS_REFUSED("boots_refused"),
        READS("read_requests"),
        BYTES_SENT("bytes_sent");

        final String label;

        Counter(String label) {
            this.label = label;
        }
    }

    RmpCounters() {
        super(Counter.class, counter -> counter.label);
    }
}

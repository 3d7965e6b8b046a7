package org.diskless.rarp.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.diskless.api.HardwareAddress;

/**
 * At most one reply about a machine per interval, however many requests about it arrive (a ROM
 * retrying fast, or anyone on the link asking on its behalf from made-up sources). Only machines
 * that are answered get an entry, and the oldest are forgotten past {@value #MAX_MACHINES}, so
 * the memory it holds is bounded. Used from the receiving thread only.
 */
final class ReplyPacing {

    static final int MAX_MACHINES = 4096;

    private final Map<HardwareAddress, Long> lastReply = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<HardwareAddress, Long> eldest) {
            return size() > MAX_MACHINES;
        }
    };

    /** Whether a reply about {@code machine} may go out at {@code nanoTime}; if so, it counts as sent. */
    boolean allow(HardwareAddress machine, long nanoTime, Duration interval) {
        Long last = lastReply.get(machine);
        if (last != null && nanoTime - last < interval.toNanos()) {
            return false;
        }
        lastReply.put(machine, nanoTime);
        return true;
    }

    int size() {
        return lastReply.size();
    }
}

package org.diskless.support.stats;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Counters named by the constants of an enum, each published under a stable label (lower-case
 * words joined by {@code _}): what a protocol's {@code ProtocolStatistics} service returns. A
 * protocol names its counters in an enum and extends this with it. Updated from any thread.
 */
public class EnumCounters<E extends Enum<E>> {

    private final Map<E, LongAdder> counts;
    private final Function<E, String> label;

    protected EnumCounters(Class<E> type, Function<E, String> label) {
        this.counts = new EnumMap<>(type);
        this.label = label;
        for (E counter : type.getEnumConstants()) {
            counts.put(counter, new LongAdder());
        }
    }

    public final void add(E counter) {
        counts.get(counter).increment();
    }

    public final void add(E counter, long amount) {
        counts.get(counter).add(amount);
    }

    public final long get(E counter) {
        return counts.get(counter).sum();
    }

    /** Every counter by its label, in the enum's order. */
    public final Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        counts.forEach((counter, count) -> snapshot.put(label.apply(counter), count.sum()));
        return Collections.unmodifiableMap(snapshot);
    }
}

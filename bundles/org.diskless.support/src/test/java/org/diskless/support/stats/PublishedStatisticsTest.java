package org.diskless.support.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.ProtocolStatistics;
import org.junit.jupiter.api.Test;

class PublishedStatisticsTest {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final ProtocolStatistics statistics = new PublishedStatistics(BootProtocol.TFTP,
            () -> Map.of("read_requests", requests.get()), () -> Map.of("transfers_active", active.get())) {
    };

    @Test
    void readsTheServersNumbersAtEachCallNotOnceAtRegistration() {
        assertEquals(Map.of("read_requests", 0L), statistics.counters());
        requests.set(3);
        active.set(2);

        assertEquals(Map.of("read_requests", 3L), statistics.counters());
        assertEquals(Map.of("transfers_active", 2L), statistics.gauges());
    }

    @Test
    void namesItsProtocolAndHasNoDurations() {
        assertEquals(BootProtocol.TFTP, statistics.protocol());
        assertEquals(Map.of(), statistics.durations());
    }
}

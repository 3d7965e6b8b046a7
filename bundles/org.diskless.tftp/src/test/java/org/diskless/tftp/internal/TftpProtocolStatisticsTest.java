package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.tftp.codec.TftpErrorCode;
import org.junit.jupiter.api.Test;

/** TFTP's counters as the API publishes them: the names a metrics exporter relies on. */
class TftpProtocolStatisticsTest {

    private final TransferRegistry registry = new TransferRegistry();
    private final ProtocolStatistics statistics = new TftpProtocolStatistics(new TftpMonitor() {
        @Override
        public List<TransferView> transfers() {
            return List.of();
        }

        @Override
        public TftpStatistics statistics() {
            return registry.snapshot();
        }

        @Override
        public String transport() {
            return "test";
        }

        @Override
        public Optional<InetSocketAddress> listeningOn() {
            return Optional.empty();
        }
    });

    @Test
    void countersHaveStableNamesInAStableOrderFromTheFirstRequestOn() {
        List<String> before = List.copyOf(statistics.counters().keySet());
        registry.readRequests.add(3);
        registry.refusedClientBusy.increment();
        registry.errorSent(TftpErrorCode.FILE_NOT_FOUND);

        Map<String, Long> counters = statistics.counters();

        assertEquals(before, List.copyOf(counters.keySet()), "no name comes or goes with traffic");
        assertEquals(List.of("read_requests", "write_requests", "transfers_started", "transfers_completed",
                "transfers_failed",
                "bytes_sent", "bytes_received", "retransmissions", "malformed_packets", "requests_refused_busy",
                "requests_refused_client_busy", "requests_refused_queue_full", "requests_repeated",
                "requests_not_served", "requests_multicast", "segment_trains_sent", "segment_trains_refused",
                "errors_sent_not_defined", "errors_sent_file_not_found"), before.subList(0, 19));
        assertEquals(3, counters.get("read_requests"));
        assertEquals(1, counters.get("requests_refused_client_busy"));
        assertEquals(1, counters.get("errors_sent_file_not_found"));
        assertEquals(0, counters.get("errors_sent_access_violation"));
        assertEquals(BootProtocol.TFTP, statistics.protocol());
        assertEquals(Map.of("transfers_active", 0L, "requests_preparing", 0L), statistics.gauges());
    }
}

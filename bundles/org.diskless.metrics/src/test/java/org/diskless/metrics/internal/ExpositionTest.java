package org.diskless.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.network.AddressPools;
import org.diskless.api.network.PoolUsage;
import org.diskless.api.stats.DurationHistogram;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.api.timeline.BootCounts;
import org.diskless.api.timeline.BootStatistics;
import org.junit.jupiter.api.Test;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What a scrape shows, as the Prometheus client's own text writer writes it. */
class ExpositionTest {

    private final List<ProtocolStatistics> protocols = new ArrayList<>();
    private final List<AddressPools> pools = new ArrayList<>();
    private final List<BootStatistics> boots = new ArrayList<>();
    private final PrometheusRegistry registry = new PrometheusRegistry();

    ExpositionTest() {
        registry.register(new DisklessCollector(() -> List.copyOf(protocols), () -> List.copyOf(pools),
                () -> List.copyOf(boots)));
    }

    private String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the protocol's bundle would register: its counters alone. */
    private ProtocolStatistics publish(BootProtocol protocol, Map<String, Long> counters) {
        return publish(protocol, counters, Map.of(), Map.of());
    }

    private ProtocolStatistics publish(BootProtocol protocol, Map<String, Long> counters, Map<String, Long> gauges) {
        return publish(protocol, counters, gauges, Map.of());
    }

    private ProtocolStatistics publish(BootProtocol protocol, Map<String, Long> counters, Map<String, Long> gauges,
                                       Map<String, DurationHistogram> durations) {
        ProtocolStatistics statistics = new ProtocolStatistics() {
            @Override
            public BootProtocol protocol() {
                return protocol;
            }

            @Override
            public Map<String, Long> counters() {
                return counters;
            }

            @Override
            public Map<String, Long> gauges() {
                return gauges;
            }

            @Override
            public Map<String, DurationHistogram> durations() {
                return durations;
            }
        };
        protocols.add(statistics);
        return statistics;
    }

    /** Each of {@code lines} stands as a whole line in the scrape. */
    private static void assertShows(String text, String... lines) {
        Set<String> shown = text.lines().collect(Collectors.toSet());
        for (String line : lines) {
            assertTrue(shown.contains(line), () -> "no line '" + line + "' in:\n" + text);
        }
    }

    private static Map<String, Long> ordered(Object... nameValue) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            map.put((String) nameValue[i], ((Number) nameValue[i + 1]).longValue());
        }
        return map;
    }

    private static DurationHistogram histogram(long[] cumulative, long count, Duration sum, Duration... bounds) {
        return new DurationHistogram(List.of(bounds), cumulative, count, sum);
    }

    @Test
    void dhcpMessagesGoByTypeAndDropsByReasonWithHelpAndType() throws IOException {
        publish(BootProtocol.DHCP, ordered("received_discover", 5, "sent_offer", 4, "received_bootp", 1,
                "dropped_unknown_client", 2));

        String text = scrape();

        assertTrue(text.contains("# HELP diskless_dhcp_messages_received_total DHCP and BOOTP messages received"),
                text);
        assertShows(text,
                "# TYPE diskless_dhcp_messages_received_total counter",
                "diskless_dhcp_messages_received_total{type=\"discover\"} 5.0",
                "diskless_dhcp_messages_received_total{type=\"bootp\"} 1.0",
                "diskless_dhcp_messages_sent_total{type=\"offer\"} 4.0",
                "# TYPE diskless_dhcp_messages_dropped_total counter",
                "diskless_dhcp_messages_dropped_total{reason=\"unknown_client\"} 2.0");
    }

    @Test
    void transferProtocolsShareFamiliesLabelledByProtocolWithUnitsInTheName() throws IOException {
        publish(BootProtocol.TFTP, ordered("read_requests", 9, "transfers_completed", 7, "transfers_failed", 1,
                "bytes_sent", 1000, "retransmissions", 3, "errors_sent_file_not_found", 2),
                Map.of("transfers_active", 1L));
        publish(BootProtocol.HTTP, ordered("files_sent", 2, "bytes_sent", 5000, "not_found", 4),
                Map.of("transfers_active", 0L, "connections_open", 3L));
        publish(BootProtocol.RMP, ordered("sessions_opened", 1, "sessions_completed", 1), Map.of("sessions_open", 0L));

        String text = scrape();

        assertShows(text,
                "diskless_transfers_completed_total{protocol=\"tftp\"} 7.0",
                "diskless_transfers_completed_total{protocol=\"http\"} 2.0",
                "diskless_transfers_completed_total{protocol=\"rmp\"} 1.0",
                "diskless_transfers_started_total{protocol=\"rmp\"} 1.0",
                "diskless_transfers_failed_total{protocol=\"tftp\"} 1.0",
                "diskless_transfer_sent_bytes_total{protocol=\"http\"} 5000.0",
                "diskless_transfer_retransmissions_total{protocol=\"tftp\"} 3.0",
                "diskless_transfer_errors_sent_total{code=\"file_not_found\",protocol=\"tftp\"} 2.0",
                "diskless_transfer_errors_sent_total{code=\"404\",protocol=\"http\"} 4.0",
                "# TYPE diskless_transfers_active gauge",
                "diskless_transfers_active{protocol=\"tftp\"} 1.0",
                // What no shared family takes keeps a family of its own.
                "# TYPE diskless_tftp_read_requests_total counter",
                "diskless_tftp_read_requests_total 9.0",
                "diskless_http_connections_open 3.0");
        assertTrue(text.contains("# UNIT diskless_transfer_sent_bytes bytes\n")
                || text.contains("# TYPE diskless_transfer_sent_bytes_total counter\n"), text);
    }

    @Test
    void aThirdPartyProtocolsCountersGetValidNamesOfTheirOwn() throws IOException {
        publish(BootProtocol.of("X_Boot"), ordered("Frames Seen", 3, "requests_total", 2));

        assertShows(scrape(), "diskless_x_boot_frames_seen_total 3.0", "diskless_x_boot_requests_value_total 2.0");
    }

    @Test
    void leaseCommitLatencyIsAHistogramInSecondsWithCumulativeBuckets() throws IOException {
        publish(BootProtocol.DHCP, Map.of(), Map.of(), Map.of("lease_commits",
                histogram(new long[] {1, 3}, 4, Duration.ofMillis(2500), Duration.ofMillis(1), Duration.ofMillis(10))));

        assertShows(scrape(),
                "# TYPE diskless_dhcp_lease_commit_duration_seconds histogram",
                "diskless_dhcp_lease_commit_duration_seconds_bucket{le=\"0.001\"} 1",
                "diskless_dhcp_lease_commit_duration_seconds_bucket{le=\"0.01\"} 3",
                "diskless_dhcp_lease_commit_duration_seconds_bucket{le=\"+Inf\"} 4",
                "diskless_dhcp_lease_commit_duration_seconds_count 4",
                "diskless_dhcp_lease_commit_duration_seconds_sum 2.5");
    }

    @Test
    void poolsGoBySubnetAndState() throws IOException {
        pools.add(() -> List.of(PoolUsage.builder("lab", "192.0.2.0/24", 10).bound(3).offered(1).declined(2)
                .heldByPeers(1).free(3).build()));

        assertShows(scrape(),
                "diskless_dhcp_pool_size{subnet=\"lab\"} 10.0",
                "diskless_dhcp_pool_addresses{state=\"bound\",subnet=\"lab\"} 3.0",
                "diskless_dhcp_pool_addresses{state=\"peers\",subnet=\"lab\"} 1.0",
                "diskless_dhcp_pool_addresses{state=\"free\",subnet=\"lab\"} 3.0");
    }

    @Test
    void bootsAreCountedByOutcomeWithTheirDurations() throws IOException {
        boots.add(() -> new BootCounts(3, 1, 1, 1, histogram(new long[] {0, 2}, 2, Duration.ofSeconds(50),
                Duration.ofSeconds(10), Duration.ofSeconds(30))));

        assertShows(scrape(),
                "diskless_boots_started_total 3.0",
                "diskless_boots_completed_total 1.0",
                "diskless_boots_failed_total 1.0",
                "diskless_boots_in_progress 1.0",
                "diskless_boot_duration_seconds_bucket{le=\"30.0\"} 2",
                "diskless_boot_duration_seconds_count 2");
    }

    @Test
    void aProtocolGoneLeavesNoSeriesBehind() throws IOException {
        ProtocolStatistics rmp = publish(BootProtocol.RMP, ordered("sessions_opened", 1, "requests", 4),
                Map.of("sessions_open", 1L));
        assertTrue(scrape().contains("protocol=\"rmp\""));

        protocols.remove(rmp);

        String text = scrape();
        assertFalse(text.contains("rmp"), text);
    }

    @Test
    void aServiceFailingWhileReadIsLeftOutOfThatScrapeOnly() throws IOException {
        publish(BootProtocol.TFTP, ordered("transfers_completed", 7));
        pools.add(() -> {
            throw new IllegalStateException("the DHCP event loop did not answer");
        });

        String text = scrape();

        assertShows(text, "diskless_transfers_completed_total{protocol=\"tftp\"} 7.0");
        assertFalse(text.contains("pool"), text);
    }

    @Test
    void twoServicesOfOneProtocolAddUp() throws IOException {
        publish(BootProtocol.TFTP, ordered("transfers_completed", 7));
        publish(BootProtocol.TFTP, ordered("transfers_completed", 2));

        assertShows(scrape(), "diskless_transfers_completed_total{protocol=\"tftp\"} 9.0");
    }

    @Test
    void everyFamilyIsNamedByTheConventions() throws IOException {
        publish(BootProtocol.DHCP, ordered("received_discover", 1, "dropped_malformed", 0), Map.of(),
                Map.of("lease_commits", histogram(new long[] {0}, 0, Duration.ZERO, Duration.ofMillis(1))));
        publish(BootProtocol.TFTP, ordered("transfers_completed", 1, "bytes_sent", 1), Map.of("transfers_active", 0L));
        pools.add(() -> List.of(PoolUsage.builder("lab", "192.0.2.0/24", 10).free(10).build()));
        boots.add(() -> new BootCounts(0, 0, 0, 0, histogram(new long[] {0}, 0, Duration.ZERO, Duration.ofSeconds(1))));

        List<String> types = scrape().lines().filter(l -> l.startsWith("# TYPE ")).toList();

        assertEquals(13, types.size(), types::toString);
        for (String type : types) {
            String[] words = type.split(" ");
            assertTrue(words[2].matches("diskless_[a-z0-9_]+"), type);
            assertEquals(words[3].equals("counter"), words[2].endsWith("_total"), type);
        }
    }
}

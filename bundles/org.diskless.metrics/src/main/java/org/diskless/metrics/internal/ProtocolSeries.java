package org.diskless.metrics.internal;

import java.util.Locale;
import java.util.Map;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.DurationHistogram;
import org.diskless.api.stats.ProtocolStatistics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * How a protocol's statistics become Prometheus series. The counters every transfer protocol has in
 * some form (transfers started, completed, failed, bytes, retransmissions, errors by code) go into
 * shared families labelled by {@code protocol}, so that one query covers TFTP, MTFTP, HTTP and RMP;
 * DHCP's messages go by type and its drops by reason. Every other counter, gauge or duration keeps
 * its own family, {@code diskless_<protocol>_<name>}, so that a counter a protocol adds later shows
 * without a change here. Label values come from the protocols' fixed counter names and from protocol
 * names, never from what a client sent: the number of series is bounded.
 */
final class ProtocolSeries {

    static final String PREFIX = "diskless_";

    /** A shared family a counter goes into, with its fixed labels. */
    private record Target(String family, Labels labels) {
    }

    private static final String STARTED = "diskless_transfers_started";
    private static final String COMPLETED = "diskless_transfers_completed";
    private static final String FAILED = "diskless_transfers_failed";
    private static final String SENT_BYTES = "diskless_transfer_sent_bytes";
    private static final String RECEIVED_BYTES = "diskless_transfer_received_bytes";
    private static final String RETRANSMISSIONS = "diskless_transfer_retransmissions";
    private static final String ERRORS = "diskless_transfer_errors_sent";
    private static final String ACTIVE = "diskless_transfers_active";
    private static final String DHCP_RECEIVED = "diskless_dhcp_messages_received";
    private static final String DHCP_SENT = "diskless_dhcp_messages_sent";
    private static final String DHCP_DROPPED = "diskless_dhcp_messages_dropped";

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(DHCP_RECEIVED, "DHCP and BOOTP messages received, by message type (bootp: without one)."),
            Map.entry(DHCP_SENT, "DHCP and BOOTP messages sent, by message type (bootp: a BOOTREPLY)."),
            Map.entry(DHCP_DROPPED, "DHCP requests left unanswered, by reason (dhcp:stats explains each)."),
            Map.entry(STARTED, "Transfers begun (TFTP and HTTP files, MTFTP rounds, RMP boot sessions)."),
            Map.entry(COMPLETED, "Transfers that sent or received their whole file (RMP: sessions the client"
                    + " closed with boot complete)."),
            Map.entry(FAILED, "Transfers that broke off (timed out, connection closed, session expired)."),
            Map.entry(SENT_BYTES, "Bytes of files sent (MTFTP: datagrams with their IP and UDP headers)."),
            Map.entry(RECEIVED_BYTES, "Bytes of files received (TFTP uploads)."),
            Map.entry(RETRANSMISSIONS, "Packets sent again because the client did not acknowledge them in time."),
            Map.entry(ERRORS, "Errors answered to clients, by code (TFTP error names, HTTP status codes)."),
            Map.entry(ACTIVE, "Transfers in progress (MTFTP: rounds, RMP: sessions open)."));

    /** Each transfer protocol's counter names for the shared families. */
    private static final Map<String, Map<String, String>> TRANSFER_COUNTERS = Map.of(
            "TFTP", Map.of("transfers_started", STARTED, "transfers_completed", COMPLETED,
                    "transfers_failed", FAILED, "bytes_sent", SENT_BYTES, "bytes_received", RECEIVED_BYTES,
                    "retransmissions", RETRANSMISSIONS),
            "HTTP", Map.of("transfers_started", STARTED, "files_sent", COMPLETED, "transfers_failed", FAILED,
                    "bytes_sent", SENT_BYTES),
            "MTFTP", Map.of("rounds_started", STARTED, "rounds_completed", COMPLETED, "rounds_failed", FAILED,
                    "bytes_sent", SENT_BYTES, "retransmissions", RETRANSMISSIONS),
            "RMP", Map.of("sessions_opened", STARTED, "sessions_completed", COMPLETED,
                    "sessions_timed_out", FAILED, "bytes_sent", SENT_BYTES));

    /** HTTP's refusals by the status code they were answered with. */
    private static final Map<String, String> HTTP_ERRORS = Map.of("bad_requests", "400", "forbidden", "403",
            "not_found", "404", "method_not_allowed", "405", "range_not_satisfiable", "416", "server_errors", "500",
            "busy", "503");

    private static final Map<String, String> TRANSFER_GAUGES = Map.of("TFTP", "transfers_active",
            "HTTP", "transfers_active", "MTFTP", "rounds_active", "RMP", "sessions_open");

    private ProtocolSeries() {
    }

    /** Adds every counter, gauge and duration of one protocol's service to {@code out}. */
    static void add(ProtocolStatistics statistics, MetricFamilies out) {
        BootProtocol protocol = statistics.protocol();
        String name = protocol.name();
        String label = sanitized(name);
        // Everything read before anything is added: a service that fails half-way adds nothing.
        Map<String, Long> counters = statistics.counters();
        Map<String, Long> gauges = statistics.gauges();
        Map<String, DurationHistogram> durations = statistics.durations();
        for (Map.Entry<String, Long> counter : counters.entrySet()) {
            Target target = target(name, label, counter.getKey());
            if (target != null) {
                out.counter(target.family(), HELP.get(target.family()), unit(target.family()), target.labels(),
                        counter.getValue());
            } else {
                String own = own(label, counter.getKey());
                out.counter(own, name + " counter " + sanitized(counter.getKey()) + ".", null, Labels.EMPTY,
                        counter.getValue());
            }
        }
        for (Map.Entry<String, Long> gauge : gauges.entrySet()) {
            if (gauge.getKey().equals(TRANSFER_GAUGES.get(name))) {
                out.gauge(ACTIVE, HELP.get(ACTIVE), Labels.of("protocol", label), gauge.getValue());
            } else {
                out.gauge(own(label, gauge.getKey()), name + " level " + sanitized(gauge.getKey()) + ".",
                        Labels.EMPTY, gauge.getValue());
            }
        }
        for (Map.Entry<String, DurationHistogram> duration : durations.entrySet()) {
            if (name.equals("DHCP") && duration.getKey().equals("lease_commits")) {
                out.histogram("diskless_dhcp_lease_commit_duration_seconds", "Time from asking the lease store"
                        + " to commit an acknowledged lease to its answer that the lease is durable.", Labels.EMPTY,
                        duration.getValue());
            } else {
                out.histogram(own(label, duration.getKey()) + "_duration_seconds", name + " durations of "
                        + sanitized(duration.getKey()) + ".", Labels.EMPTY, duration.getValue());
            }
        }
    }

    private static Target target(String protocol, String label, String counter) {
        if (protocol.equals("DHCP")) {
            return dhcp(counter);
        }
        Map<String, String> transfers = TRANSFER_COUNTERS.get(protocol);
        if (transfers == null) {
            return null;
        }
        String family = transfers.get(counter);
        if (family != null) {
            return new Target(family, Labels.of("protocol", label));
        }
        if (protocol.equals("TFTP") && counter.startsWith("errors_sent_")) {
            return new Target(ERRORS, Labels.of("protocol", label, "code",
                    sanitized(counter.substring("errors_sent_".length()))));
        }
        if (protocol.equals("HTTP") && HTTP_ERRORS.containsKey(counter)) {
            return new Target(ERRORS, Labels.of("protocol", label, "code", HTTP_ERRORS.get(counter)));
        }
        return null;
    }

    private static Target dhcp(String counter) {
        if (counter.startsWith("received_")) {
            return new Target(DHCP_RECEIVED, Labels.of("type", sanitized(counter.substring("received_".length()))));
        }
        if (counter.startsWith("sent_")) {
            return new Target(DHCP_SENT, Labels.of("type", sanitized(counter.substring("sent_".length()))));
        }
        if (counter.startsWith("dropped_")) {
            return new Target(DHCP_DROPPED, Labels.of("reason", sanitized(counter.substring("dropped_".length()))));
        }
        return null;
    }

    private static Unit unit(String family) {
        return family.endsWith("_bytes") ? Unit.BYTES : null;
    }

    /** {@code diskless_<protocol>_<name>}, without a suffix Prometheus keeps for itself. */
    static String own(String protocolLabel, String name) {
        String family = PREFIX + protocolLabel + "_" + sanitized(name);
        for (String reserved : new String[] {"_total", "_created", "_bucket", "_info", "_count", "_sum"}) {
            if (family.endsWith(reserved)) {
                family = family.substring(0, family.length() - reserved.length()) + "_value";
            }
        }
        return family;
    }

    /** Lower case, every character outside {@code [a-z0-9_]} as {@code _}: a valid name part and label value. */
    static String sanitized(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return lower.isEmpty() ? "_" : lower;
    }
}

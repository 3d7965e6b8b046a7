package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Prometheus endpoint of the running distribution, scraped with curl as Prometheus would: after
 * one real PXE boot (qemu, pxelinux over our DHCP and TFTP, on {@link BootLan}) it shows the
 * DHCP exchange, the files sent and the boot with its duration; it is not reachable from the boot
 * network; and uninstalling a protocol's feature takes that protocol's series away and nothing else.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final String METRICS = "http://127.0.0.1:9180/metrics";
    private static final String NODE = "metrics-node01";
    private static final String MAC = "52:54:00:d1:5c:09";
    private static final String MAC_NAME = "01-52-54-00-d1-5c-09";
    private static final String PXELINUX_CFG = "org.diskless.loader.pxelinux.cfg";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private static BootLan lan;

    @BeforeAll
    static void bootLanAndNode() throws IOException {
        lan = BootLan.create(server);
        server.setProperty(PXELINUX_CFG, "append", "\"diskless.marker=metrics\"");
        String added = server.shell("nodes:add --boot kernel=" + BootLan.KERNEL + " --boot initrd="
                + BootLan.INITRD + " --boot \"append=console=ttyS0 panic=-1\" " + NODE + " " + MAC);
        assertTrue(added.contains("Added node " + NODE), added);
        lan.awaitGenerated("pxelinux.cfg/" + MAC_NAME, "diskless.marker=metrics console=ttyS0 panic=-1");
    }

    @Test
    @Order(1)
    void aPxeBootShowsItsDhcpExchangeItsFilesAndItselfWithItsDuration() throws IOException {
        lan.boot("metrics", MAC, BOOT_TIMEOUT, "-device", "e1000,netdev=n0,mac=" + MAC, "-boot", "n")
                .assertMarker("metrics");
        // A file over HTTP too, as iPXE or UEFI HTTP boot would fetch it.
        Path kernel = server.tftpboot().resolve(BootLan.KERNEL);
        Exec.Result http = server.client("curl", "-sS", "-o", "/dev/null", "http://" + SERVER_IP + ":8080/"
                + BootLan.KERNEL);
        assertTrue(http.ok(), http::describe);
        // The boot ends once the node has been quiet for the quiet gap: shorten it rather than wait ten minutes.
        server.setProperty("org.diskless.boot.cfg", "quietGap", "1");

        // The node's boot, and the curl's download (a client of its own to the timelines): each ends a
        // quiet gap after its own last step, so wait until neither is in progress.
        String text = poll(SETTLE, Duration.ofMillis(500), MetricsIT::scrape,
                t -> value(t, "diskless_boots_completed_total") >= 1 && value(t, "diskless_boots_in_progress") == 0)
                .orElseGet(MetricsIT::scrape);

        long started = value(text, "diskless_boots_started_total");
        assertTrue(started >= 1, text);
        assertEquals(started, value(text, "diskless_boots_completed_total"), text);
        assertEquals(0, value(text, "diskless_boots_failed_total"), text);
        assertEquals(0, value(text, "diskless_boots_in_progress"), text);
        assertEquals(started, value(text, "diskless_boot_duration_seconds_count"), text);
        assertEquals(started, value(text, "diskless_boot_duration_seconds_bucket{le=\"+Inf\"}"), text);
        assertTrue(value(text, "diskless_boot_duration_seconds_sum") >= 1, text);
        for (String type : new String[] {"discover", "request"}) {
            assertTrue(value(text, "diskless_dhcp_messages_received_total{type=\"" + type + "\"}") >= 1, text);
        }
        for (String type : new String[] {"offer", "ack"}) {
            assertTrue(value(text, "diskless_dhcp_messages_sent_total{type=\"" + type + "\"}") >= 1, text);
        }
        assertTrue(value(text, "diskless_dhcp_lease_commit_duration_seconds_count") >= 1, text);
        assertEquals(50, value(text, "diskless_dhcp_pool_size{subnet=\"pxeboot\"}"), text);
        assertEquals(1, value(text, "diskless_dhcp_pool_addresses{state=\"bound\",subnet=\"pxeboot\"}"), text);
        // pxelinux.0, ldlinux.c32, the node's config, kernel and RAM disk at least.
        assertTrue(value(text, "diskless_transfers_completed_total{protocol=\"tftp\"}") >= 5, text);
        assertEquals(value(text, "diskless_transfers_started_total{protocol=\"tftp\"}"),
                value(text, "diskless_transfers_completed_total{protocol=\"tftp\"}")
                        + value(text, "diskless_transfers_failed_total{protocol=\"tftp\"}"), text);
        long files = Files.size(kernel) + Files.size(server.tftpboot().resolve(BootLan.INITRD));
        assertTrue(value(text, "diskless_transfer_sent_bytes_total{protocol=\"tftp\"}") >= files, text);
        assertEquals(1, value(text, "diskless_transfers_completed_total{protocol=\"http\"}"), text);
        assertEquals(Files.size(kernel), value(text, "diskless_transfer_sent_bytes_total{protocol=\"http\"}"), text);
        assertTrue(text.contains("# TYPE jvm_memory_used_bytes gauge"), text);
        assertFalse(text.contains(MAC) || text.contains(MAC_NAME) || text.contains("vmlinuz"),
                "no MAC nor file name as a label:\n" + text);
    }

    @Test
    @Order(2)
    void theBootNetworkCannotReachTheEndpoint() {
        for (String address : new String[] {SERVER_IP, BootLan.BOOT_SERVER}) {
            Exec.Result reached = server.client("curl", "-sS", "--max-time", "5", "http://" + address + ":9180/metrics");
            assertEquals(7, reached.exitCode(), () -> "curl from the client namespace to " + address
                    + " should find nothing listening:\n" + reached.describe());
        }
    }

    @Test
    @Order(3)
    void uninstallingAProtocolTakesItsSeriesAwayAndNothingElse() {
        Optional<String> before = poll(SETTLE, Duration.ofMillis(500), MetricsIT::scrape,
                t -> t.contains("protocol=\"rmp\"") && t.contains("diskless_rmp_"));
        assertTrue(before.isPresent(), () -> "RMP's series never showed:\n" + scrape());
        try {
            server.shell("feature:uninstall diskless-rmp");

            Optional<String> after = poll(SETTLE, Duration.ofMillis(500), MetricsIT::scrape,
                    t -> !t.contains("rmp"));
            assertTrue(after.isPresent(), () -> "RMP's series stayed:\n" + scrape());
            String text = after.get();
            for (String kept : new String[] {"diskless_transfers_completed_total{protocol=\"tftp\"}",
                    "diskless_dhcp_messages_received_total{type=\"discover\"}", "diskless_boots_completed_total"}) {
                assertEquals(value(before.get(), kept), value(text, kept), kept);
            }
        } finally {
            server.shell("feature:install diskless-rmp");
        }
        assertTrue(poll(SETTLE, Duration.ofMillis(500), MetricsIT::scrape, t -> t.contains("protocol=\"rmp\""))
                .isPresent(), () -> "RMP's series did not come back with its feature:\n" + scrape());
    }

    /** The endpoint as Prometheus reads it, from the server's own host (its admin interface). */
    private static String scrape() {
        Exec.Result r = server.inServerNs(COMMAND_TIMEOUT, "curl", "-sS", "--max-time", "10", METRICS);
        if (!r.ok()) {
            fail("cannot scrape " + METRICS + ":\n" + r.describe() + "\n" + server.shell("log:display | grep -i metrics"));
        }
        return r.stdout();
    }

    /** A series' value, {@code -1} when it is not there. */
    private static long value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }
}

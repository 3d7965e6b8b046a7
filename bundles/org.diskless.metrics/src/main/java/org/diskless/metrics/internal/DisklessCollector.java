package org.diskless.metrics.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.diskless.api.network.AddressPools;
import org.diskless.api.network.PoolUsage;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.api.timeline.BootCounts;
import org.diskless.api.timeline.BootStatistics;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Diskless' own series, read afresh from the services registered at each scrape: a protocol
 * installed shows at the next scrape, one removed leaves no series behind. A service that fails
 * while read (a DHCP server stopping) is left out of that scrape with a log line, never the scrape.
 */
final class DisklessCollector implements MultiCollector {

    private static final Logger LOG = LoggerFactory.getLogger(DisklessCollector.class);

    private final Supplier<List<ProtocolStatistics>> protocols;
    private final Supplier<List<AddressPools>> pools;
    private final Supplier<List<BootStatistics>> boots;
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));

    DisklessCollector(Supplier<List<ProtocolStatistics>> protocols, Supplier<List<AddressPools>> pools,
                      Supplier<List<BootStatistics>> boots) {
        this.protocols = protocols;
        this.pools = pools;
        this.boots = boots;
    }

    @Override
    public MetricSnapshots collect() {
        MetricFamilies families = new MetricFamilies();
        for (ProtocolStatistics statistics : protocols.get()) {
            read("protocol statistics", () -> ProtocolSeries.add(statistics, families));
        }
        for (AddressPools addressPools : pools.get()) {
            read("address pools", () -> addPools(addressPools.pools(), families));
        }
        for (BootStatistics bootStatistics : boots.get()) {
            read("boot statistics", () -> addBoots(bootStatistics.counts(), families));
        }
        if (!families.misfits().isEmpty()) {
            throttle.warn(LOG, "misfits", "Left out of the metrics, as they do not fit the family of that name: {}",
                    Printable.of(families.misfits().toString(), 500));
        }
        return families.snapshots();
    }

    private void read(String what, Runnable reading) {
        try {
            reading.run();
        } catch (RuntimeException e) {
            throttle.warn(LOG, what, "Left the {} out of this scrape: {}", what,
                    Printable.of(String.valueOf(e), 300));
        }
    }

    static void addPools(List<PoolUsage> usage, MetricFamilies families) {
        for (PoolUsage pool : usage) {
            String subnet = pool.subnet();
            families.gauge("diskless_dhcp_pool_size", "Addresses in the subnet's dynamic pool.",
                    Labels.of("subnet", subnet), pool.size());
            String help = "Addresses of the subnet's pool by state: bound (leased), offered, declined (in"
                    + " quarantine), peers (held by other servers sharing the lease store), free.";
            families.gauge("diskless_dhcp_pool_addresses", help, Labels.of("state", "bound", "subnet", subnet),
                    pool.bound());
            families.gauge("diskless_dhcp_pool_addresses", help, Labels.of("state", "offered", "subnet", subnet),
                    pool.offered());
            families.gauge("diskless_dhcp_pool_addresses", help, Labels.of("state", "declined", "subnet", subnet),
                    pool.declined());
            families.gauge("diskless_dhcp_pool_addresses", help, Labels.of("state", "peers", "subnet", subnet),
                    pool.heldByPeers());
            families.gauge("diskless_dhcp_pool_addresses", help, Labels.of("state", "free", "subnet", subnet),
                    pool.free());
        }
    }

    static void addBoots(BootCounts counts, MetricFamilies families) {
        families.counter("diskless_boots_started", "Boots begun, as boot:status tells boots apart.", null,
                Labels.EMPTY, counts.started());
        families.counter("diskless_boots_completed", "Boots finished (the client began another or went quiet for"
                + " the quiet gap) without a step that went wrong and that the client got no further from.", null,
                Labels.EMPTY, counts.completed());
        families.counter("diskless_boots_failed", "Boots finished with a failure, as boot:status counts them: a"
                + " step that went wrong and that the client got no further from.", null, Labels.EMPTY,
                counts.failed());
        families.gauge("diskless_boots_in_progress", "Boots begun and not yet finished.", Labels.EMPTY,
                counts.inProgress());
        families.histogram("diskless_boot_duration_seconds", "Finished boots, from their first event to their"
                + " last.", Labels.EMPTY, counts.durations());
    }
}

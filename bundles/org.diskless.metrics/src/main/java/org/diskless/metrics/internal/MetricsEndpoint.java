package org.diskless.metrics.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.diskless.api.network.AddressPools;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.api.timeline.BootStatistics;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.net.ListenerMove;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The Prometheus endpoint: {@code /metrics} on the admin interface, in the text exposition format,
 * served by the Prometheus client's own HTTP server (the JDK's) on its own port, so that it needs no
 * web container. Reads every protocol's statistics, the DHCP pools and the boot counts at each
 * scrape, and the JVM's basics. A changed address or port is bound before the old one is let go;
 * one that cannot be bound is refused and the old endpoint keeps serving.
 */
@Component(configurationPid = MetricsSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = MetricsConfig.class)
public final class MetricsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    private static final String CONFIGURATION = "etc/" + MetricsSettings.PID + ".cfg";
    /** A scrape is cheap and Prometheus scrapes one at a time; a few threads leave room for a curl beside it. */
    private static final int THREADS = 2;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ProtocolStatistics> protocols = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<AddressPools> pools = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<BootStatistics> boots = List.of();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicInteger threads = new AtomicInteger();
    private final ListenerMove<MetricsSettings, HTTPServer> move = new ListenerMove<>(MetricsSettings::bindAddress,
            this::start, HTTPServer::close);
    private MetricsSettings settings;
    private HTTPServer server;

    @Activate
    public MetricsEndpoint(Map<String, Object> properties) {
        registry.register(new DisklessCollector(() -> protocols, () -> pools, () -> boots));
        JvmMemoryMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private HTTPServer start(MetricsSettings at) throws IOException {
        ExecutorService scrapes = scrapeThreads();
        try {
            return HTTPServer.builder().inetAddress(at.bindAddress().getAddress()).port(at.bindAddress().getPort())
                    .registry(registry).executorService(scrapes).buildAndStart();
        } catch (IOException | RuntimeException e) {
            scrapes.shutdownNow();
            throw e;
        }
    }

    private static void refuse(MetricsSettings next, IOException e, String keepsServing) {
        SettingsUpdate.refused(LOG, CONFIGURATION, "cannot listen on " + next.bindAddress() + " (" + e.getMessage()
                + "; is another program on that port? 'ss -tlpn sport = :" + next.bindAddress().getPort()
                + "' names it)", keepsServing);
    }

    /** The server's threads; it shuts them down when it stops. Requests beyond the queue are dropped. */
    private ExecutorService scrapeThreads() {
        return new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), task -> {
            Thread thread = new Thread(task, "diskless-metrics-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Where the endpoint listens now; empty while no address could be bound. */
    synchronized Optional<MetricsSettings> serving() {
        return server == null ? Optional.empty() : Optional.of(settings);
    }

    private synchronized void apply(Map<String, Object> properties) {
        String keepsServing = server == null ? "the metrics endpoint is not listening until this is fixed"
                : "the endpoint keeps serving on " + settings;
        Optional<MetricsSettings> accepted = SettingsUpdate.apply(CONFIGURATION, properties, MetricsSettings::parse,
                LOG, keepsServing);
        if (accepted.isEmpty()) {
            return;
        }
        MetricsSettings next = accepted.get();
        if (server != null && next.equals(settings)) {
            return;
        }
        ListenerMove.Outcome<MetricsSettings, HTTPServer> outcome = move.move(server, server == null ? null : settings,
                next);
        server = outcome.listener().orElse(null);
        if (!outcome.moved()) {
            refuse(next, outcome.refused().orElseThrow(), outcome.lost().map(lost -> "the metrics endpoint is not"
                    + " listening until this is fixed (its previous address could not be bound again: "
                    + lost.getMessage() + ")").orElse(keepsServing));
            return;
        }
        boolean first = settings == null;
        settings = next;
        if (first) {
            LOG.info("Metrics served on {}", next);
        } else {
            SettingsUpdate.updated(LOG, CONFIGURATION, next);
        }
    }
}

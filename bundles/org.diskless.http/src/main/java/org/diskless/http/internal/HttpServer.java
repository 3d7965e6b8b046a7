package org.diskless.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.diskless.api.boot.BootEventListener;
import org.diskless.api.boot.HttpBootEndpoint;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.context.ClientContexts;
import org.diskless.support.events.BootEventPublisher;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.net.ListenerMove;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The HTTP boot server component: owns the event loops and the listening socket, applies
 * configuration changes live (a configuration that cannot be used is refused with the key and the
 * reason, and the settings in force keep serving), and publishes {@link HttpBootEndpoint} while it
 * listens, so that DHCP and the loaders name HTTP only then.
 */
@Component(configurationPid = "org.diskless.http", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = HttpMonitor.class, immediate = true)
@Designate(ocd = HttpConfig.class)
public final class HttpServer implements HttpMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final String CONFIGURATION = "etc/org.diskless.http.cfg";
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    /** Threads for the file-system work of requests: as TFTP's, a few, with a boot storm's worth of queue. */
    private static final int FILE_WORK_THREADS = 4;
    static final int FILE_WORK_QUEUE = 1024;
    /**
     * Bytes queued for a connection before it stops taking chunks: a slow client holds this much
     * memory at most (a file sent by the kernel holds none).
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private final BundleContext bundleContext;
    private final StreamTransport transport;
    private final ThreadPoolExecutor fileWork = new ThreadPoolExecutor(FILE_WORK_THREADS, FILE_WORK_THREADS,
            30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(FILE_WORK_QUEUE),
            new DefaultThreadFactory("diskless-http-files", true), new ThreadPoolExecutor.AbortPolicy());
    private final HttpCounters counters = new HttpCounters();
    private final HttpTransfers transfers = new HttpTransfers(System::nanoTime);
    private final BootEventPublisher events = new BootEventPublisher();
    private final ConnectionLimiter limiter;
    private final HttpPipeline pipeline;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LeaseStore leaseStore;

    /** Settings in force; null until a valid configuration has been bound. */
    private volatile HttpSettings settings;
    private volatile Channel listening;
    /** A moved listener lets go of its socket only; the connections it accepted go on being served. */
    private final ListenerMove<HttpSettings, Channel> move = new ListenerMove<>(HttpSettings::bindAddress, this::bind,
            channel -> channel.close().awaitUninterruptibly(BIND_TIMEOUT.toMillis()));
    private ServiceRegistration<HttpBootEndpoint> endpoint; // guarded by this

    @Activate
    public HttpServer(@Reference BootFileResolver resolver, BundleContext bundleContext,
                      Map<String, Object> properties) {
        this.bundleContext = bundleContext;
        this.transport = StreamTransport.choose(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("diskless-http", true));
        fileWork.allowCoreThreadTimeOut(true);
        ClientContexts clients = new ClientContexts(() -> Optional.ofNullable(nodeDirectory),
                () -> Optional.ofNullable(leaseStore), Clock.systemUTC());
        BootFileAnswers answers = new BootFileAnswers(resolver, clients, counters, events,
                new LogThrottle(Duration.ofMinutes(1)));
        this.limiter = new ConnectionLimiter(this::settingsInForce, counters);
        this.pipeline = new HttpPipeline(this::settingsInForce, limiter,
                new BootFileHandler.Services(answers, fileWork, counters, transfers, events));
        LOG.info("HTTP transport: {}", transport.name());
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        unpublish();
        Channel current = listening;
        if (current != null) {
            current.close().awaitUninterruptibly(BIND_TIMEOUT.toMillis());
        }
        fileWork.shutdownNow();
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(BIND_TIMEOUT.toMillis());
        LOG.info("HTTP server stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(BootEventListener listener) {
        events.add(listener);
    }

    void removeListener(BootEventListener listener) {
        events.remove(listener);
    }

    private HttpSettings settingsInForce() {
        HttpSettings current = settings;
        return current == null ? HttpSettings.defaults() : current;
    }

    /** Checks, then binds if the address changed; on any failure the old settings keep serving. */
    private synchronized void apply(Map<String, Object> properties) {
        Optional<HttpSettings> accepted = SettingsUpdate.apply(CONFIGURATION, properties, HttpSettings::parse, LOG,
                settings == null ? "the HTTP server is not listening until this is fixed"
                        : "still serving with the previous settings");
        if (accepted.isEmpty()) {
            return;
        }
        HttpSettings next = accepted.get();
        HttpSettings previous = settings;
        Channel bound = listening;
        if (previous != null && bound != null && previous.bindAddress().equals(next.bindAddress())) {
            settings = next;
            SettingsUpdate.updated(LOG, CONFIGURATION, next);
            return;
        }
        unpublish();
        ListenerMove.Outcome<HttpSettings, Channel> outcome = move.move(bound, previous, next);
        Channel serving = outcome.listener().orElse(null);
        listening = serving;
        if (outcome.moved()) {
            settings = next;
            LOG.info("HTTP server listening on {} ({})", serving.localAddress(), next);
        } else {
            LOG.error("Cannot listen for HTTP on {}: {}", next.bindAddress(), move.refusal(outcome));
        }
        if (serving != null) {
            publish((InetSocketAddress) serving.localAddress());
        }
    }

    /** The listening socket for {@code next}. */
    private Channel bind(HttpSettings next) throws IOException {
        ChannelFuture future = new ServerBootstrap().group(transport.group())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(pipeline)
                .bind(next.bindAddress());
        if (!future.awaitUninterruptibly(BIND_TIMEOUT.toMillis()) || !future.isSuccess()) {
            future.channel().close();
            throw new IOException(future.cause() == null ? "timed out" : future.cause().getMessage(), future.cause());
        }
        return future.channel();
    }

    private void publish(InetSocketAddress address) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpBootEndpoint.PORT, address.getPort());
        endpoint = bundleContext.registerService(HttpBootEndpoint.class, new BootEndpoint(address), properties);
    }

    private void unpublish() {
        if (endpoint != null) {
            try {
                endpoint.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The bundle is stopping and the framework took it down already.
            }
            endpoint = null;
        }
    }

    @Override
    public List<HttpTransferView> transfers() {
        return transfers.views();
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    @Override
    public int openConnections() {
        return limiter.open();
    }

    @Override
    public String transport() {
        return transport.name();
    }

    @Override
    public Optional<InetSocketAddress> listeningOn() {
        Channel current = listening;
        return current != null && current.isActive()
                ? Optional.of((InetSocketAddress) current.localAddress()) : Optional.empty();
    }
}

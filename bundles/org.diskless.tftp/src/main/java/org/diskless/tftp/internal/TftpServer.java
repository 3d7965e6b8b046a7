package org.diskless.tftp.internal;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.diskless.api.boot.BootEventListener;
import org.diskless.api.boot.MulticastTftpRequests;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.support.config.Config;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.context.ClientContexts;
import org.diskless.support.events.BootEventPublisher;
import org.diskless.support.log.LogThrottle;
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

import io.netty.channel.Channel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The TFTP server component: owns the event loops and the well-known port, and applies
 * configuration changes live. A configuration that cannot be used is refused with the key and the
 * reason, and the settings in force keep serving.
 */
@Component(configurationPid = "org.diskless.tftp", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = TftpMonitor.class, immediate = true)
@Designate(ocd = TftpConfig.class)
public final class TftpServer implements TftpMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(TftpServer.class);
    private static final String CONFIGURATION = "etc/org.diskless.tftp.cfg";
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Threads for the file-system work of requests (names resolved, files opened, providers asked):
     * a few, since each one a slow NFS root or provider holds is one fewer; the queue holds a boot
     * storm's worth of requests, and one more is told the server is busy.
     */
    private static final int FILE_WORK_THREADS = 4;
    static final int FILE_WORK_QUEUE = 1024;

    private final BootFileResolver resolver;
    private final DatagramTransport transport;
    private final TransferPorts ports;
    private final ThreadPoolExecutor fileWork = new ThreadPoolExecutor(FILE_WORK_THREADS, FILE_WORK_THREADS,
            30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(FILE_WORK_QUEUE),
            new DefaultThreadFactory("diskless-tftp-files", true), new ThreadPoolExecutor.AbortPolicy());
    private final TransferRegistry registry = new TransferRegistry();
    private final Transfer.Services services;
    private final BootEventPublisher events = new BootEventPublisher();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    /** Whose lease a client's address is, for a client whose address is no node's fixed one. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LeaseStore leaseStore;

    private final ClientContexts clients = new ClientContexts(() -> Optional.ofNullable(nodeDirectory),
            () -> Optional.ofNullable(leaseStore), Clock.systemUTC());

    /** RFC 2090: where read requests with the multicast option go first, while a multicast service runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MulticastTftpRequests multicastRequests;

    /** Settings in force; null until a valid configuration has been bound. */
    private volatile TftpSettings settings;
    private volatile Channel requests;
    private final ListenerMove<TftpSettings, Channel> move = new ListenerMove<>(TftpSettings::bindAddress, this::bind,
            channel -> channel.close().awaitUninterruptibly(BIND_TIMEOUT.toMillis()));

    @Activate
    public TftpServer(@Reference BootFileResolver resolver, Map<String, Object> properties) {
        this.resolver = resolver;
        PollingSelectStrategy polling = new PollingSelectStrategy(this::busyPollNanos, System::nanoTime);
        this.transport = DatagramTransport.choose(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("diskless-tftp", true), () -> polling);
        this.ports = TransferPorts.on(transport);
        fileWork.allowCoreThreadTimeOut(true);
        this.services = new Transfer.Services(registry, events, System::nanoTime, transport::maxSegmentPayload,
                transport.eventLoops(), new LogThrottle(Duration.ofMinutes(1)));
        LOG.info("TFTP transport: {}", transport.name());
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        Channel current = requests;
        if (current != null) {
            current.close().awaitUninterruptibly(BIND_TIMEOUT.toMillis());
        }
        fileWork.shutdownNow();
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(BIND_TIMEOUT.toMillis());
        LOG.info("TFTP server stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(BootEventListener listener) {
        events.add(listener);
    }

    void removeListener(BootEventListener listener) {
        events.remove(listener);
    }

    /** Checks, then binds if the address changed; on any failure the old settings keep serving. */
    private synchronized void apply(Map<String, Object> properties) {
        Optional<TftpSettings> accepted = SettingsUpdate.apply(CONFIGURATION, properties, TftpSettings::parse, LOG,
                settings == null ? "the TFTP server is not listening until this is fixed"
                        : "still serving with the previous settings");
        if (accepted.isEmpty()) {
            return;
        }
        TftpSettings next = accepted.get();
        Config written = Config.of(properties);
        if (written.has("address") && written.text("address").isEmpty()) {
            LOG.info("{}: 'address' is empty, so TFTP listens on every interface ({}), the default",
                    CONFIGURATION, TftpSettings.DEFAULT_ADDRESS);
        }
        TftpSettings previous = settings;
        Channel bound = requests;
        if (previous != null && bound != null && previous.bindAddress().equals(next.bindAddress())) {
            settings = next;
            bound.pipeline().replace(RequestHandler.class, "requests", handlerFor(next));
            SettingsUpdate.updated(LOG, CONFIGURATION, next);
            return;
        }
        ListenerMove.Outcome<TftpSettings, Channel> outcome = move.move(bound, previous, next);
        requests = outcome.listener().orElse(null);
        if (!outcome.moved()) {
            LOG.error("Cannot listen for TFTP on {}: {}", next.bindAddress(), move.refusal(outcome));
            return;
        }
        settings = next;
        LOG.info("TFTP server listening on {} ({})", next.bindAddress(), next);
        if (previous != null) {
            SettingsUpdate.updated(LOG, CONFIGURATION, next);
        }
    }

    private long busyPollNanos() {
        TftpSettings current = settings;
        return current == null ? 0 : TimeUnit.MICROSECONDS.toNanos(current.busyPollMicros());
    }

    /** The request port for {@code next}. */
    private Channel bind(TftpSettings next) throws BindException {
        return RequestPort.bind(transport, next.bindAddress(), handlerFor(next).initializer(), BIND_TIMEOUT);
    }

    private RequestHandler handlerFor(TftpSettings next) {
        TransferPreparation preparation = new TransferPreparation(next, resolver, clients,
                () -> Optional.ofNullable(multicastRequests), services);
        return new RequestHandler(next, preparation, fileWork, services, ports);
    }

    @Override
    public List<TransferView> transfers() {
        return registry.active().stream().map(Transfer::view).toList();
    }

    @Override
    public TftpStatistics statistics() {
        return registry.snapshot();
    }

    @Override
    public String transport() {
        return transport.name();
    }

    @Override
    public Optional<InetSocketAddress> listeningOn() {
        Channel current = requests;
        return current != null && current.isActive()
                ? Optional.of((InetSocketAddress) current.localAddress()) : Optional.empty();
    }
}

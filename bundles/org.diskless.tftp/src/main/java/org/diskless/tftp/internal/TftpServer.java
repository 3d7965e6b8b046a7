package org.diskless.tftp.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.diskless.api.boot.BootEventListener;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.events.BootEventPublisher;
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

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
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
    private static final long BIND_TIMEOUT_SECONDS = 10;
    private static final int REQUEST_BUFFER = 4096;

    private final BootFileResolver resolver;
    private final DatagramTransport transport;
    private final TransferPorts ports;
    private final TransferRegistry registry = new TransferRegistry();
    private final Transfer.Services services;
    private final BootEventPublisher events = new BootEventPublisher();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    /** Settings in force; null until a valid configuration has been bound. */
    private volatile TftpSettings settings;
    private volatile Channel requests;

    @Activate
    public TftpServer(@Reference BootFileResolver resolver, Map<String, Object> properties) {
        this.resolver = resolver;
        PollingSelectStrategy polling = new PollingSelectStrategy(this::busyPollNanos, System::nanoTime);
        this.transport = DatagramTransport.choose(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("diskless-tftp", true), () -> polling);
        this.ports = TransferPorts.on(transport);
        this.services = new Transfer.Services(registry, events, System::nanoTime, transport::maxSegmentPayload,
                transport.eventLoops());
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
            current.close().awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
        Optional<TftpSettings> accepted = SettingsUpdate.apply("TFTP configuration etc/org.diskless.tftp.cfg",
                properties, TftpSettings::parse, LOG, settings == null
                        ? "the TFTP server is not listening until this is fixed"
                        : "still serving with the previous settings");
        if (accepted.isEmpty()) {
            return;
        }
        TftpSettings next = accepted.get();
        TftpSettings previous = settings;
        Channel bound = requests;
        if (previous != null && bound != null && previous.bindAddress().equals(next.bindAddress())) {
            settings = next;
            bound.pipeline().replace(RequestHandler.class, "requests", handlerFor(next));
            LOG.info("TFTP settings updated: {}", next);
            return;
        }
        Channel fresh = bind(next);
        if (fresh == null) {
            return;
        }
        settings = next;
        requests = fresh;
        if (bound != null) {
            bound.close();
        }
        LOG.info("TFTP server listening on {} ({})", next.bindAddress(), next);
    }

    private long busyPollNanos() {
        TftpSettings current = settings;
        return current == null ? 0 : TimeUnit.MICROSECONDS.toNanos(current.busyPollMicros());
    }

    private Channel bind(TftpSettings next) {
        ChannelFuture future = new Bootstrap()
                .group(transport.group())
                .channel(transport.channelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(REQUEST_BUFFER))
                .handler(handlerFor(next).initializer())
                .bind(next.bindAddress());
        if (!future.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !future.isSuccess()) {
            String why = future.cause() == null ? "timed out" : future.cause().getMessage();
            LOG.error("Cannot listen for TFTP on {}: {}. Port 69 needs root or CAP_NET_BIND_SERVICE; set 'address'"
                    + " and 'port' in etc/org.diskless.tftp.cfg. {}", next.bindAddress(), why,
                    requests == null ? "TFTP is not served." : "Still serving on " + settings.bindAddress() + ".");
            future.channel().close();
            return null;
        }
        return future.channel();
    }

    private RequestHandler handlerFor(TftpSettings next) {
        return new RequestHandler(next, resolver, () -> Optional.ofNullable(nodeDirectory), services, ports);
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

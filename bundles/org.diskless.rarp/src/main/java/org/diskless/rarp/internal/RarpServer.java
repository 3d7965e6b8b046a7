package org.diskless.rarp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEventListener;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.link.EthernetLinks;
import org.diskless.link.EthernetPort;
import org.diskless.link.LinkException;
import org.diskless.rarp.codec.RarpCodec;
import org.diskless.rarp.codec.RarpFormatException;
import org.diskless.rarp.codec.RarpFrame;
import org.diskless.rarp.internal.RarpCounters.Counter;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.events.BootEventPublisher;
import org.diskless.support.log.LogThrottle;
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

/**
 * The RARP server component: the raw port for EtherType 0x8035 on the configured interface and the
 * thread that answers what arrives there. Without an interface it is idle and says so, which is
 * why the distribution can start it on every server; an interface that cannot be opened (missing,
 * no CAP_NET_RAW) is logged once per reason and retried while the rest of the server runs; a
 * setting that cannot be used is refused with its key while the previous ones keep serving.
 */
@Component(configurationPid = RarpSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {RarpMonitor.class, ProtocolStatistics.class}, immediate = true)
@Designate(ocd = RarpConfig.class)
public final class RarpServer implements RarpMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(RarpServer.class);
    private static final Duration RECEIVE_WAIT = Duration.ofMillis(250);
    private static final long RETRY_SECONDS = 10;

    private final EthernetLinks links;
    private final BootEventPublisher events = new BootEventPublisher();
    private final RarpCounters counters = new RarpCounters();
    private final RarpProtocol protocol;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "diskless-rarp-retry");
        thread.setDaemon(true);
        return thread;
    });

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    private volatile RarpSettings settings;   // written under this
    private Answering answering;              // guarded by this
    private ScheduledFuture<?> retry;         // guarded by this
    private String lastOpenFailure;           // guarded by this

    @Activate
    public RarpServer(@Reference EthernetLinks links, Map<String, Object> properties) {
        this.links = links;
        this.protocol = new RarpProtocol(this::inventoryNode, new InterfaceNetworks(), events, System::nanoTime,
                Clock.systemUTC(), counters);
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        stopAnswering();
        retries.shutdownNow();
        LOG.info("RARP server stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(BootEventListener listener) {
        events.add(listener);
    }

    void removeListener(BootEventListener listener) {
        events.remove(listener);
    }

    private synchronized void apply(Map<String, Object> properties) {
        Optional<RarpSettings> parsed = SettingsUpdate.apply("etc/org.diskless.rarp.cfg", properties,
                RarpSettings::from, LOG, settings == null ? "RARP is idle until this is fixed"
                        : "the previous settings keep serving");
        if (parsed.isEmpty()) {
            return;
        }
        RarpSettings previous = settings;
        settings = parsed.get();
        LOG.info("RARP settings: {}", settings);
        if (previous == null || !previous.interfaceName().equals(settings.interfaceName())) {
            serveOn(settings.interfaceName());
        }
    }

    /** Stops answering where it did, and starts on {@code interfaceName}, retrying until it can. */
    private void serveOn(Optional<String> interfaceName) {
        stopAnswering();
        lastOpenFailure = null;
        if (interfaceName.isEmpty()) {
            LOG.info("RARP is idle: no interface configured (set 'interface' in etc/org.diskless.rarp.cfg)");
            return;
        }
        if (!tryOpen(interfaceName.get())) {
            retry = retries.scheduleWithFixedDelay(() -> retryOpen(interfaceName.get()), RETRY_SECONDS,
                    RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private synchronized void retryOpen(String interfaceName) {
        boolean stillWanted = answering == null && settings.interfaceName().equals(Optional.of(interfaceName));
        if (stillWanted && tryOpen(interfaceName) && retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private boolean tryOpen(String interfaceName) {
        EthernetPort port;
        try {
            port = links.open(interfaceName, RarpCodec.ETHERTYPE, List.of());
        } catch (LinkException e) {
            if (!e.getMessage().equals(lastOpenFailure)) {
                lastOpenFailure = e.getMessage();
                LOG.error("RARP cannot serve on {}: {}. Retrying every {} s; the rest of the server keeps running"
                        + " (check 'interface' in etc/org.diskless.rarp.cfg)", interfaceName, e.getMessage(),
                        RETRY_SECONDS);
            }
            return false;
        }
        answering = new Answering(port);
        LOG.info("RARP serving on {} ({})", interfaceName, port.hardwareAddress());
        return true;
    }

    private void stopAnswering() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        if (answering != null) {
            answering.stop();
            answering = null;
        }
    }

    private Optional<Node> inventoryNode(HardwareAddress mac) {
        NodeDirectory directory = nodeDirectory;
        return directory == null ? Optional.empty() : directory.byHardwareAddress(mac);
    }

    /** One port and the thread that takes its frames, decodes them and sends the answers. */
    private final class Answering {
        private final EthernetPort port;
        private final Thread thread;
        private final LogThrottle failures = new LogThrottle(Duration.ofMinutes(1));
        private volatile boolean running = true;

        Answering(EthernetPort port) {
            this.port = port;
            this.thread = new Thread(this::answerUntilStopped, "diskless-rarp-" + port.interfaceName());
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            try {
                thread.join(RECEIVE_WAIT.toMillis() * 8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            port.close();
        }

        private void answerUntilStopped() {
            ByteBuffer received = ByteBuffer.allocate(EthernetPort.MAX_FRAME);
            while (running) {
                received.clear();
                try {
                    if (port.receive(received, RECEIVE_WAIT) > 0) {
                        answer(received.flip());
                    }
                } catch (IOException e) {
                    if (running) {
                        failures.error(LOG, "receive", "RARP receive on {} failed: {}; retrying", port.interfaceName(),
                                e.getMessage());
                        sleepAfterFailure();
                    }
                } catch (RuntimeException e) {
                    // A bug must cost one frame, never the server.
                    failures.error(LOG, "bug", "A RARP frame on {} could not be answered", port.interfaceName(), e);
                }
            }
        }

        private void answer(ByteBuffer frame) throws IOException {
            RarpFrame request;
            try {
                request = RarpCodec.decode(frame);
            } catch (RarpFormatException e) {
                counters.add(Counter.UNDECODABLE);
                LOG.debug("Not a RARP frame on {}: {}", port.interfaceName(), e.getMessage());
                return;
            }
            Optional<RarpFrame> reply = protocol.handle(request, port.interfaceName(), port.hardwareAddress(),
                    settings.replyInterval());
            if (reply.isEmpty()) {
                return;
            }
            try {
                port.send(ByteBuffer.wrap(RarpCodec.encode(reply.get())));
                counters.add(Counter.REPLIES);
            } catch (IOException e) {
                counters.add(Counter.SEND_FAILURES);
                failures.warn(LOG, "send", "RARP reply to {} not sent: {}", reply.get().destination(), e.getMessage());
            }
        }

        private void sleepAfterFailure() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    @Override
    public BootProtocol protocol() {
        return RarpProtocol.RARP;
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    @Override
    public synchronized Optional<String> servingOn() {
        return answering == null ? Optional.empty() : Optional.of(answering.port.interfaceName());
    }
}

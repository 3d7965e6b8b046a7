package org.diskless.rarp.internal;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEventListener;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.link.EthernetLinks;
import org.diskless.link.EthernetPort;
import org.diskless.rarp.codec.RarpCodec;
import org.diskless.rarp.codec.RarpFormatException;
import org.diskless.rarp.codec.RarpFrame;
import org.diskless.rarp.internal.RarpCounters.Counter;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.events.BootEventPublisher;
import org.diskless.support.link.LinkServing;
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
 * The RARP server component: serves EtherType 0x8035 on the configured interface through
 * {@link LinkServing}. Without an interface it is idle and says so, which is why the distribution
 * can start it on every server; a setting that cannot be used is refused with its key while the
 * previous ones keep serving.
 */
@Component(configurationPid = RarpSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {RarpMonitor.class, ProtocolStatistics.class}, immediate = true)
@Designate(ocd = RarpConfig.class)
public final class RarpServer implements RarpMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(RarpServer.class);
    private static final String CONFIGURATION = "etc/org.diskless.rarp.cfg";

    private final BootEventPublisher events = new BootEventPublisher();
    private final RarpCounters counters = new RarpCounters();
    private final RarpProtocol protocol;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "diskless-rarp-retry");
        thread.setDaemon(true);
        return thread;
    });
    private final LinkServing link;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    private volatile RarpSettings settings;   // written under this

    @Activate
    public RarpServer(@Reference EthernetLinks links, Map<String, Object> properties) {
        this.protocol = new RarpProtocol(this::inventoryNode, new InterfaceNetworks(), events, System::nanoTime,
                Clock.systemUTC(), counters);
        this.link = new LinkServing("RARP", CONFIGURATION, links, RarpCodec.ETHERTYPE, List.of(), new Frames(), retries,
                LOG);
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        link.stop();
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
        Optional<RarpSettings> parsed = SettingsUpdate.apply(CONFIGURATION, properties, RarpSettings::from, LOG,
                settings == null ? "RARP is idle until this is fixed" : "the previous settings keep serving");
        if (parsed.isEmpty()) {
            return;
        }
        RarpSettings previous = settings;
        settings = parsed.get();
        if (previous == null) {
            LOG.info("RARP settings: {}", settings);
        } else {
            SettingsUpdate.updated(LOG, CONFIGURATION, settings);
        }
        if (previous == null || !previous.interfaceName().equals(settings.interfaceName())) {
            link.serveOn(settings.interfaceName());
        }
    }

    private Optional<Node> inventoryNode(HardwareAddress mac) {
        NodeDirectory directory = nodeDirectory;
        return directory == null ? Optional.empty() : directory.byHardwareAddress(mac);
    }

    /** RARP's side of the link: decode, answer, encode. */
    private final class Frames implements LinkServing.Protocol {
        @Override
        public boolean answer(ByteBuffer frame, EthernetPort port, ByteBuffer reply) {
            RarpFrame request;
            try {
                request = RarpCodec.decode(frame);
            } catch (RarpFormatException e) {
                counters.add(Counter.UNDECODABLE);
                LOG.debug("Not a RARP frame on {}: {}", port.interfaceName(), e.getMessage());
                return false;
            }
            Optional<RarpFrame> answer = protocol.handle(request, port.interfaceName(), port.hardwareAddress(),
                    settings.replyInterval());
            answer.ifPresent(a -> {
                reply.put(RarpCodec.encode(a));
                counters.add(Counter.REPLIES);
            });
            return answer.isPresent();
        }

        @Override
        public void notSent() {
            counters.add(Counter.SEND_FAILURES);
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
    public Optional<String> servingOn() {
        return link.servingOn();
    }
}

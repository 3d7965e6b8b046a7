package org.diskless.rmp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEventListener;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.link.EthernetLinks;
import org.diskless.link.EthernetPort;
import org.diskless.rmp.codec.RmpCodec;
import org.diskless.rmp.codec.RmpFormatException;
import org.diskless.rmp.codec.RmpFrame;
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
 * The RMP server component: serves IEEE 802.2 frames on the configured interface through
 * {@link LinkServing}, and owns the watch on the configuration files and the session sweep. Without
 * an interface it is idle and says so; a configuration that cannot be used is refused with the key
 * (or file and line) and the reason, and what was serving keeps serving.
 */
@Component(configurationPid = "org.diskless.rmp", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {RmpMonitor.class, ProtocolStatistics.class}, immediate = true)
@Designate(ocd = RmpConfig.class)
public final class RmpServer implements RmpMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(RmpServer.class);
    private static final String CONFIGURATION = "etc/org.diskless.rmp.cfg";
    private static final long RELOAD_DELAY_MILLIS = 200;   // editors write in bursts
    private static final long SWEEP_SECONDS = 5;
    private static final int MAX_HOST_NAME = 13;

    private final BootEventPublisher events = new BootEventPublisher();
    private final ScheduledExecutorService scheduler;
    private final RmpProtocol protocol;
    private final RmpCounters counters = new RmpCounters();
    private final LinkServing link;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    private volatile ServingState state;
    private RmpSettings settings;              // guarded by this
    private ConfigWatcher watcher;             // guarded by this
    private ScheduledFuture<?> pendingReload;  // guarded by this

    @Activate
    public RmpServer(@Reference EthernetLinks links, @Reference BootFileResolver resolver,
            Map<String, Object> properties) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "diskless-rmp-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.state = new ServingState(SettingsUpdate.defaults(RmpSettings::from), CnodeTable.EMPTY, hostName(Optional.empty()));
        this.protocol = new RmpProtocol(() -> state, this::inventoryNode, resolver, events, System::nanoTime,
                Clock.systemUTC(), counters);
        scheduler.scheduleWithFixedDelay(protocol::expireIdle, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        this.link = new LinkServing("RMP", CONFIGURATION, links, EthernetLinks.PROTOCOL_802_2,
                List.of(RmpCodec.MULTICAST), new Frames(), scheduler, LOG);
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        link.stop();
        if (watcher != null) {
            watcher.close();
        }
        scheduler.shutdownNow();
        protocol.closeAll();
        LOG.info("RMP server stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(BootEventListener listener) {
        events.add(listener);
    }

    void removeListener(BootEventListener listener) {
        events.remove(listener);
    }

    private synchronized void apply(Map<String, Object> properties) {
        Optional<RmpSettings> parsed = SettingsUpdate.apply(CONFIGURATION, properties, RmpSettings::from,
                LOG, settings == null ? "RMP is idle until this is fixed" : "the previous settings keep serving");
        if (parsed.isEmpty()) {
            return;
        }
        RmpSettings next = parsed.get();
        RmpSettings previous = settings;
        settings = next;
        if (previous == null || !previous.files().equals(next.files())) {
            rewatch(next.files());
        }
        reloadCnodes(next, previous == null || !previous.files().equals(next.files()));
        if (previous == null || !previous.interfaceName().equals(next.interfaceName())) {
            link.stop();
            protocol.closeAll(); // sessions belong to the link they were opened on
            link.serveOn(next.interfaceName());
        }
        if (previous == null) {
            LOG.info("RMP settings: {}", next);
        } else {
            SettingsUpdate.updated(LOG, CONFIGURATION, next);
        }
    }

    /**
     * Re-reads the configuration files. A file with problems is refused line by line and the table
     * in force keeps serving; when the file set itself changed, there is no older table for these
     * files to keep, so the table is emptied rather than serving the files no longer named.
     */
    private void reloadCnodes(RmpSettings current, boolean filesChanged) {
        CnodeTableBuilder.Result result = CnodeTableBuilder.load(current);
        result.warnings().forEach(w -> LOG.warn("RMP configuration: {}", w));
        ServingState serving = state;
        if (result.table().isEmpty()) {
            for (ConfigProblem problem : result.problems()) {
                LOG.error("RMP configuration refused: {}", problem);
            }
            CnodeTable kept = filesChanged ? CnodeTable.EMPTY : serving.cnodes();
            LOG.error("RMP configuration has {} problem(s); {}", result.problems().size(),
                    filesChanged ? "no cnode is answered until they are fixed"
                            : "the previous configuration keeps serving");
            state = new ServingState(current, kept, hostName(current.hostName()));
            return;
        }
        CnodeTable table = result.table().get();
        state = new ServingState(current, table, hostName(current.hostName()));
        LOG.info("RMP configuration loaded: {} cnode entr{}{}{}", table.entries().size(),
                table.entries().size() == 1 ? "y" : "ies",
                current.inventory() ? " plus inventory nodes with rmp boot files" : "",
                current.answerAny() ? "; answering any machine" : "");
    }

    private void rewatch(List<Path> files) {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        if (files.isEmpty()) {
            return;
        }
        try {
            watcher = ConfigWatcher.watch(files, this::scheduleReload);
        } catch (IOException e) {
            LOG.warn("Cannot watch the RMP configuration files ({}); edits apply when etc/org.diskless.rmp.cfg"
                    + " is saved again", e.getMessage());
        }
    }

    private synchronized void scheduleReload() {
        if (pendingReload != null) {
            pendingReload.cancel(false);
        }
        pendingReload = scheduler.schedule(() -> {
            synchronized (this) {
                if (settings != null) {
                    LOG.info("RMP configuration files changed; reloading");
                    reloadCnodes(settings, false);
                }
            }
        }, RELOAD_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** RMP's side of the link: decode, keep what is addressed to us or the RMP group, answer. */
    private final class Frames implements LinkServing.Protocol {
        @Override
        public boolean answer(ByteBuffer in, EthernetPort port, ByteBuffer out) {
            RmpFrame frame;
            try {
                frame = RmpCodec.decode(in);
            } catch (RmpFormatException e) {
                counters.add(RmpCounters.Counter.UNDECODABLE);
                LOG.debug("Not an RMP frame on {}: {}", port.interfaceName(), e.getMessage());
                return false;
            }
            HardwareAddress self = port.hardwareAddress();
            if (!frame.destination().equals(self) && !frame.destination().equals(RmpCodec.MULTICAST)) {
                return false;
            }
            return protocol.handle(frame, self, out);
        }

        @Override
        public void notSent() {
            counters.add(RmpCounters.Counter.SEND_FAILURES);
        }
    }

    private Optional<Node> inventoryNode(HardwareAddress mac) {
        NodeDirectory directory = nodeDirectory;
        return directory == null ? Optional.empty() : directory.byHardwareAddress(mac);
    }

    /** The name the server identifies itself by: up to the first '.', at most 13 characters. */
    static String hostName(Optional<String> configured) {
        String name = configured.orElseGet(RmpServer::systemHostName);
        int dot = name.indexOf('.');
        if (dot >= 0) {
            name = name.substring(0, dot);
        }
        return name.length() > MAX_HOST_NAME ? name.substring(0, MAX_HOST_NAME) : name;
    }

    private static String systemHostName() {
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | RuntimeException notLinux) {
            // fall through
        }
        String environment = System.getenv("HOSTNAME");
        return environment != null && !environment.isBlank() ? environment.trim() : "diskless";
    }

    @Override
    public List<SessionView> sessions() {
        return protocol.sessions();
    }

    @Override
    public BootProtocol protocol() {
        return BootProtocol.RMP;
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    @Override
    public Map<String, Long> gauges() {
        return Map.of("sessions_open", (long) protocol.openSessions());
    }

    @Override
    public List<CnodeView> cnodes() {
        ServingState serving = state;
        List<CnodeView> views = new ArrayList<>();
        Set<HardwareAddress> configured = new HashSet<>();
        for (Cnode cnode : serving.cnodes().entries()) {
            views.add(view(cnode));
            cnode.mac().ifPresent(configured::add);
        }
        NodeDirectory directory = nodeDirectory;
        if (directory != null && serving.settings().inventory()) {
            for (Node node : directory.nodes()) {
                if (!configured.contains(node.hardwareAddress())) { // the configuration files win
                    serving.cnodes().fromInventory(node).ifPresent(c -> views.add(view(c)));
                }
            }
        }
        views.sort(Comparator.comparing(CnodeView::name));
        return views;
    }

    private static CnodeView view(Cnode cnode) {
        return new CnodeView(cnode.name(), cnode.mac(), cnode.machineType(), cnode.offered(), cnode.hidden(),
                cnode.origin());
    }

    @Override
    public Optional<String> servingOn() {
        return link.servingOn();
    }

    @Override
    public boolean answerAny() {
        return state.cnodes().answerAny();
    }
}

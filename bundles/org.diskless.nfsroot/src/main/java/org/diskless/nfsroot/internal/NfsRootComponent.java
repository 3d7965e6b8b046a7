package org.diskless.nfsroot.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.diskless.api.boot.BootLoader;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.network.BootNetworks;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.nodes.NodeListener;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.log.Printable;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
 * The NFS-root hints as a service for the console, and, when {@code exportfs = true}, the exports
 * of the nodes' roots kept in step with the inventory: on every change of a node or of the
 * settings, and once a minute for what has no event (the DHCP subnets).
 *
 * <p>It reads, never writes, the host's exports files, and reads the pxelinux and iPXE loaders'
 * configurations (their {@code device} and {@code append}) so that the command lines it shows are
 * the ones they write.
 */
@Component(configurationPid = NfsRootComponent.PID, service = {NfsRootHints.class, NodeListener.class})
@Designate(ocd = NfsRootConfig.class)
public final class NfsRootComponent implements NfsRootHints, NodeListener {

    static final String PID = "org.diskless.nfsroot";
    private static final String CONFIGURATION = "etc/org.diskless.nfsroot.cfg";
    private static final Logger LOG = LoggerFactory.getLogger(NfsRootComponent.class);
    private static final Map<String, String> LOADER_PIDS = Map.of(LoaderView.PXELINUX, "org.diskless.loader.pxelinux",
            LoaderView.IPXE, "org.diskless.loader.ipxe");
    private static final Duration RESYNC = Duration.ofMinutes(1);
    /** How long a stop waits for the exports to be taken back. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final String EXPORTED_SOURCE = "exportfs -o (by Diskless)";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootNetworks bootNetworks;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootFileResolver bootFiles;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    private final Set<BootLoader> loaders = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService exporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "diskless-nfsroot-exportfs");
        thread.setDaemon(true);
        return thread;
    });
    /** Touched on the exporter thread only. */
    private final Exportfs exportfs;
    /** What {@link #exportfs} has exported, for the checks on the console's thread. */
    private volatile List<Exportfs.Export> exported = List.of();
    private volatile NfsRootSettings settings = NfsRootSettings.DEFAULTS;

    @Activate
    public NfsRootComponent(Map<String, Object> properties) {
        this(properties, Exportfs::runProcess, null, null, null);
    }

    /** For tests: the services given (each may be null), and the exportfs runs through {@code runner}. */
    NfsRootComponent(Map<String, Object> properties, Exportfs.Runner runner, NodeDirectory nodeDirectory,
                     BootNetworks bootNetworks, BootFileResolver bootFiles) {
        this.nodeDirectory = nodeDirectory;
        this.bootNetworks = bootNetworks;
        this.bootFiles = bootFiles;
        this.exportfs = new Exportfs(runner);
        apply(properties, false);
        exporter.scheduleWithFixedDelay(this::sync, RESYNC.toSeconds(), RESYNC.toSeconds(), TimeUnit.SECONDS);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties, true);
    }

    /** @param edited whether this is an edit of the file in force rather than the first start */
    private void apply(Map<String, Object> properties, boolean edited) {
        SettingsUpdate.apply(CONFIGURATION, properties, NfsRootSettings::parse, LOG, "the settings in force keep serving")
                .ifPresent(next -> {
                    settings = next;
                    String summary = "NFS-root hints: mode " + next.mode() + ", roots "
                            + (next.mode() == NfsRootSettings.Mode.SHARED ? next.sharedRoot() + " and overlays "
                                    + next.overlayPattern() : next.rootPattern()) + ", exports read from "
                            + next.exportsFile() + (next.exportfs() ? "; exporting through " + next.exportfsCommand()
                                    : "");
                    if (edited) {
                        SettingsUpdate.updated(LOG, CONFIGURATION, summary);
                    } else {
                        LOG.info(summary);
                    }
                    exporter.execute(this::sync);
                });
    }

    @Deactivate
    void deactivate() {
        exporter.shutdownNow();
        try {
            if (!exporter.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("exportfs still running after {} s at stop", STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        NfsRootSettings current = settings;
        // Taken back at stop, so that no export outlives the server that keeps it in step.
        exportfs.unexportAll(current.exportfsCommand(), current.exportfsTimeout());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addLoader(BootLoader loader) {
        loaders.add(loader);
    }

    void removeLoader(BootLoader loader) {
        loaders.remove(loader);
    }

    @Override
    public void nodeChanged(Optional<Node> before, Optional<Node> after) {
        if (settings.exportfs()) {
            exporter.execute(this::sync);
        }
    }

    /** On the exporter thread: the exports made what the inventory wants, or taken back when turned off. */
    private void sync() {
        try {
            NfsRootSettings current = settings;
            if (current.exportfs()) {
                Inventory inventory = inventory(current, false);
                List<Exportfs.Export> wanted = Exportfs.wanted(new Analyzer(inventory).reports()).stream()
                        .filter(export -> !inventory.exports().names(export.path(), export.client()))
                        .toList();
                exportfs.sync(wanted, current.exportfsCommand(), current.exportfsTimeout());
            } else {
                exportfs.unexportAll(current.exportfsCommand(), current.exportfsTimeout());
            }
            exported = exportfs.exported();
        } catch (RuntimeException e) {
            LOG.warn("Exporting the NFS roots failed; tried again in {} s", RESYNC.toSeconds(), e);
        }
    }

    /** For tests: runs what is queued for the exporter thread and waits for it. */
    void awaitExports() throws Exception {
        exporter.submit(this::sync).get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- the console

    @Override
    public String hints(Optional<String> nodeOrGroup) {
        Inventory inventory = inventory(settings, true);
        List<Node> nodes = inventory.nodes();
        if (nodeOrGroup.isPresent()) {
            String name = nodeOrGroup.get();
            List<Node> named = nodes.stream().filter(n -> n.name().equals(name)).toList();
            if (named.isEmpty()) {
                named = nodes.stream().filter(n -> n.group().filter(name::equals).isPresent()).toList();
            }
            if (named.isEmpty()) {
                throw new IllegalArgumentException("No node or group named '" + Printable.of(name, 64)
                        + "' (nodes:list names them; nfsroot:hints without a name shows every node)");
            }
            nodes = named;
        }
        if (nodes.isEmpty()) {
            return "No nodes in the inventory" + (nodeDirectory == null ? " (the node inventory, feature diskless-nodes,"
                    + " is not running)" : "") + ".\n";
        }
        Analyzer analyzer = new Analyzer(inventory);
        return HintText.of(analyzer.general(), nodes.stream().map(analyzer::report).toList(), inventory.settings());
    }

    @Override
    public String exports() {
        Inventory inventory = inventory(settings, true);
        return ExportsText.of(new Analyzer(inventory).reports(), inventory.settings());
    }

    @Override
    public String check() {
        Inventory inventory = inventory(settings, true);
        Analyzer analyzer = new Analyzer(inventory);
        return CheckText.of(analyzer.general(), analyzer.reports());
    }

    @Override
    public List<String> names() {
        List<Node> nodes = nodes();
        return Stream.concat(nodes.stream().map(Node::name), nodes.stream().flatMap(n -> n.group().stream()).distinct())
                .toList();
    }

    // ---------------------------------------------------------------- what is looked at

    /** @param withExported whether what Diskless exported through exportfs counts as exported */
    private Inventory inventory(NfsRootSettings current, boolean withExported) {
        BootNetworks networks = bootNetworks;
        ExportTable exports = ExportTable.read(current.exportsFile(), current.exportsDirectory());
        if (withExported) {
            for (Exportfs.Export export : exported) {
                exports.addExported(EXPORTED_SOURCE, export.path(), export.client(), export.options());
            }
        }
        return new Inventory(current, nodes(), networks == null ? List.of() : networks.networks(), loaderViews(),
                exports, Optional.ofNullable(bootFiles));
    }

    private List<Node> nodes() {
        NodeDirectory directory = nodeDirectory;
        if (directory == null) {
            return List.of();
        }
        List<Node> nodes = new ArrayList<>(directory.nodes());
        nodes.sort(Comparator.comparing(Node::name));
        return nodes;
    }

    /** The loaders running that write a command line this bundle knows, pxelinux first. */
    private List<LoaderView> loaderViews() {
        List<LoaderView> views = new ArrayList<>();
        Collection<String> running = loaders.stream().map(BootLoader::name).toList();
        if (running.contains(LoaderView.PXELINUX)) {
            views.add(LoaderView.pxelinux(configuration(LOADER_PIDS.get(LoaderView.PXELINUX))));
        }
        if (running.contains(LoaderView.IPXE)) {
            views.add(LoaderView.ipxe(configuration(LOADER_PIDS.get(LoaderView.IPXE))));
        }
        return views;
    }

    /** A loader's configuration as Config Admin holds it, read without creating it; empty when there is none. */
    private Map<String, Object> configuration(String pid) {
        ConfigurationAdmin admin = configurationAdmin;
        if (admin == null) {
            return Map.of();
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return Map.of();
            }
            Map<String, Object> properties = new HashMap<>();
            Dictionary<String, Object> dictionary = found[0].getProperties();
            for (Enumeration<String> keys = dictionary.keys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                properties.put(key, dictionary.get(key));
            }
            return properties;
        } catch (IOException | InvalidSyntaxException e) {
            LOG.debug("Cannot read the configuration {}: {}", pid, e.getMessage());
            return Map.of();
        }
    }
}

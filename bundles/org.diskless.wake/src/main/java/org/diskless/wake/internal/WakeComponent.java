package org.diskless.wake.internal;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.network.BootNetworks;
import org.diskless.api.timeline.BootHistory;
import org.diskless.link.EthernetLinks;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.log.Printable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-on-LAN for the inventory's nodes ({@code etc/org.diskless.wake.cfg}, optional: the defaults
 * wake nodes on their boot networks). Every service it reads is optional and dynamic: without the
 * inventory only MACs can be woken, without boot networks every node goes out of the configured
 * interface, without the raw-link service only UDP leaves, and without the timelines nothing is
 * skipped.
 */
@Component(configurationPid = "org.diskless.wake", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = Wakeup.class)
public final class WakeComponent implements Wakeup {

    private static final Logger LOG = LoggerFactory.getLogger(WakeComponent.class);
    private static final String CONFIG_FILE = "etc/org.diskless.wake.cfg";
    private static final int MAX_WORD_CHARS = 64;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodes;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootNetworks networks;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EthernetLinks links;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootHistory history;

    private volatile WakeSettings settings = WakeSettings.DEFAULTS;

    @Activate
    public WakeComponent(Map<String, Object> properties) {
        apply(properties);
    }

    /** For tests: a component over a given inventory, without OSGi. */
    WakeComponent(NodeDirectory nodes) {
        this.nodes = nodes;
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties).ifPresent(next -> SettingsUpdate.updated(LOG, CONFIG_FILE, next));
    }

    private Optional<WakeSettings> apply(Map<String, Object> properties) {
        Optional<WakeSettings> accepted = SettingsUpdate.apply(CONFIG_FILE, properties, WakeSettings::parse, LOG,
                "the previous settings keep serving");
        accepted.ifPresent(next -> settings = next);
        return accepted;
    }

    @Override
    public List<WakeTarget> resolve(List<String> words) {
        NodeDirectory directory = nodes;
        Map<HardwareAddress, WakeTarget> targets = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String word : words) {
            List<Node> named = named(directory, word.trim());
            if (!named.isEmpty()) {
                named.forEach(node -> targets.putIfAbsent(node.hardwareAddress(), targetOf(node)));
                continue;
            }
            Optional<HardwareAddress> mac = mac(word);
            if (mac.isPresent()) {
                targets.putIfAbsent(mac.get(), Optional.ofNullable(directory)
                        .flatMap(d -> d.byHardwareAddress(mac.get())).map(WakeComponent::targetOf)
                        .orElseGet(() -> WakeTarget.unknown(mac.get())));
            } else {
                unknown.add("'" + Printable.of(word, MAX_WORD_CHARS) + "'");
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("No node or group named " + String.join(", ", unknown)
                    + (directory == null ? " (the node inventory, feature diskless-nodes, is not running: only MACs"
                    + " can be woken)" : " (nodes:list shows them; a MAC such as 52:54:00:12:34:56 works too)")
                    + "; nothing was woken.");
        }
        return List.copyOf(targets.values());
    }

    private static List<Node> named(NodeDirectory directory, String word) {
        if (directory == null || word.isEmpty()) {
            return List.of();
        }
        Optional<Node> node = directory.byName(word);
        if (node.isPresent()) {
            return List.of(node.get());
        }
        return directory.nodes().stream().filter(n -> n.group().filter(word::equals).isPresent()).toList();
    }

    private static Optional<HardwareAddress> mac(String word) {
        try {
            HardwareAddress mac = HardwareAddress.parse(word);
            return mac.length() == 6 && mac.type() == HardwareAddress.ETHERNET ? Optional.of(mac) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static WakeTarget targetOf(Node node) {
        return new WakeTarget(node.name(), node.hardwareAddress(), node.address(),
                Optional.ofNullable(node.bootFiles().get(BootRole.KERNEL)));
    }

    @Override
    public void wake(List<WakeTarget> targets, WakePlan plan, Consumer<String> progress) {
        WakeSettings current = settings;
        Routes routes = new Routes(current, Optional.ofNullable(networks), new SystemInterfaces());
        BootStanding standing = new TimelineStanding(() -> Optional.ofNullable(history), current.recentBoot());
        try (Waker waker = new WireWaker(current, routes, Optional.ofNullable(links))) {
            // Each line is logged too: who was woken when is worth finding later in karaf.log.
            Consumer<String> logged = line -> {
                LOG.info("Wake-on-LAN: {}", line.strip());
                progress.accept(line);
            };
            new StaggeredWake(plan, standing, waker, Ticker.SYSTEM, ZoneId.systemDefault(), logged).run(targets);
        }
    }

    @Override
    public Duration kernelWait() {
        return settings.kernelWait();
    }

    @Override
    public Collection<String> names() {
        NodeDirectory directory = nodes;
        TreeSet<String> names = new TreeSet<>();
        if (directory != null) {
            for (Node node : directory.nodes()) {
                names.add(node.name());
                node.group().ifPresent(names::add);
            }
        }
        return names;
    }
}

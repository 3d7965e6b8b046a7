package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.diskless.api.boot.HttpBootEndpoint;
import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEventListener;
import org.diskless.api.boot.BootLoader;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.boot.MulticastTftp;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.AddressPools;
import org.diskless.api.network.BootNetworks;
import org.diskless.api.network.PoolUsage;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.stats.DurationHistogram;
import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.dhcp.codec.DhcpEncoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.internal.DhcpChannelHandler.Network;
import org.diskless.support.config.InvalidSettingException;
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

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The DHCP server component: owns the sockets (67 and the PXE boot server port 4011), the one
 * event loop every decision runs on, and the configuration in force. A configuration that cannot
 * be used is refused with the key and the reason, and the one in force keeps serving.
 */
@Component(configurationPid = DhcpSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {DhcpMonitor.class, SubnetTable.class, ClientClassTable.class, ProtocolStatistics.class,
                BootNetworks.class, AddressPools.class}, immediate = true)
@Designate(ocd = DhcpConfig.class)
public final class DhcpServer implements DhcpMonitor, SubnetTable, ClientClassTable, ProtocolStatistics, BootNetworks,
        AddressPools, DhcpChannelHandler.DhcpServerCore {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpServer.class);
    private static final long TIMEOUT_SECONDS = 10;
    /** Large enough for any DHCP datagram on an Ethernet, jumbo frames included. */
    private static final int DATAGRAM_BUFFER = 9000;
    private static final long EXPIRY_PERIOD_SECONDS = 5;
    private static final String CONFIGURATION = "etc/org.diskless.dhcp.cfg";
    /**
     * How often the host's addresses are read: a subnet refused because the host had no address
     * to serve it from (a server started before its network came up) is served within this time
     * of the address appearing. Reading them costs well under a millisecond.
     */
    static final long ADDRESS_CHECK_SECONDS = 3;

    private final Optional<LeaseStore> leases;
    private final DhcpTransport transport = DhcpTransport.choose(new DefaultThreadFactory("diskless-dhcp", true));
    private final EventLoopGroup loop = transport.group();
    private final BatchedSender replies = new BatchedSender(loop.next());
    private final DhcpStatistics statistics = new DhcpStatistics();
    private final BootEventPublisher events = new BootEventPublisher();
    private final List<RankedLoader> loaders = new CopyOnWriteArrayList<>();
    /** The subnets in force, by configuration; guarded by this. */
    private final Map<String, Subnet> subnets = new LinkedHashMap<>();
    /**
     * The newest version of every subnet configuration not refused for what it says: in force, or
     * waiting until this host has an address to answer its clients from; guarded by this.
     */
    private final Map<String, Subnet> configured = new LinkedHashMap<>();
    /** The topology in force and the host's addresses it was built from; guarded by this. */
    private Topology inForce;
    private List<LocalAddress> topologyHost = List.of();
    private final Supplier<List<LocalAddress>> hostAddresses;
    /**
     * The addresses the subnets were last looked at with, by the watch or by a configuration
     * change: the watch re-evaluates the subnets whenever the host's differ; guarded by this.
     */
    private List<LocalAddress> lastSeen;
    /** A configuration refused because its interface had no address yet: applied again when addresses change. */
    private Map<String, Object> waitingForInterface;
    private final ScheduledExecutorService addressWatch;
    /** The client classes by configuration, and in force by name; replaced whole as one changes. */
    private final Map<String, ClientClass> classesByPid = new LinkedHashMap<>();
    private volatile List<ClientClass> classes = List.of();
    private final ScheduledFuture<?> expiry;
    private final LogThrottle deviceWarning = new LogThrottle(Duration.ofHours(1));
    private final LogThrottle addressWarning = new LogThrottle(Duration.ofHours(1));

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MulticastTftp multicastTftp;

    /** Where HTTP boot clients fetch a boot file named by path, while an HTTP boot server runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HttpBootEndpoint httpBoot;

    private volatile DhcpSettings settings;
    private volatile DhcpProcessor processor;
    private volatile Channel requests;
    /** With {@code interface} set: the request port bound to that interface, the only one taking broadcasts. */
    private volatile Channel bootNetwork;
    private volatile Channel bootServer;
    /** The subnets in force, for BootNetworks; replaced whole whenever the topology changes. */
    private volatile List<BootNetwork> networks = List.of();
    /** Channels bound to our own addresses on the DHCP port, for broadcast replies; see broadcastSender. */
    private volatile Map<Inet4Address, Channel> broadcastSenders = Map.of();
    /** The heartbeats with the peers sharing the clients; empty when this server is alone. */
    private volatile Optional<PeerLink> peers = Optional.empty();

    /**
     * @param leases the lease store, or null when none runs: server mode needs it, a ProxyDHCP does
     *               not. Greedy: one that starts later (or replaces this one) restarts the component,
     *               which restores the lease book from it before serving.
     */
    @Activate
    public DhcpServer(@Reference(cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY) LeaseStore leases, Map<String, Object> properties) {
        this(leases, properties, LocalAddress::ofHost);
    }

    /** @param hostAddresses where this host's IPv4 addresses are read, every few seconds */
    DhcpServer(LeaseStore leases, Map<String, Object> properties, Supplier<List<LocalAddress>> hostAddresses) {
        this.leases = Optional.ofNullable(leases);
        this.hostAddresses = hostAddresses;
        this.expiry = loop.scheduleAtFixedRate(() -> {
            DhcpProcessor current = processor;
            if (current != null) {
                current.expire();
            }
        }, EXPIRY_PERIOD_SECONDS, EXPIRY_PERIOD_SECONDS, TimeUnit.SECONDS);
        synchronized (this) {
            lastSeen = readHostOrNothing();
            apply(properties);
        }
        // Off the event loop: a change rebinds sockets and waits for that, which the loop cannot do.
        addressWatch = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("diskless-dhcp-addresses",
                true));
        addressWatch.scheduleWithFixedDelay(this::checkHostAddresses, ADDRESS_CHECK_SECONDS, ADDRESS_CHECK_SECONDS,
                TimeUnit.SECONDS);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        addressWatch.shutdownNow();
        expiry.cancel(false);
        peers.ifPresent(PeerLink::close);
        List<Channel> channels = new ArrayList<>(broadcastSenders.values());
        channels.add(requests);
        channels.add(bootNetwork);
        channels.add(bootServer);
        for (Channel channel : channels) {
            if (channel != null) {
                channel.close().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("DHCP server stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(BootEventListener listener) {
        events.add(listener);
    }

    void removeListener(BootEventListener listener) {
        events.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedLoader")
    void addLoader(BootLoader loader, Map<String, Object> properties) {
        loaders.add(RankedLoader.of(loader, properties));
    }

    /** A loader's new service.ranking (its etc/<pid>.cfg edited) counts from the next request, not the next restart. */
    void updatedLoader(BootLoader loader, Map<String, Object> properties) {
        loaders.replaceAll(l -> l.loader() == loader ? RankedLoader.of(loader, properties) : l);
    }

    void removeLoader(BootLoader loader) {
        loaders.removeIf(l -> l.loader() == loader);
    }

    // ---------------------------------------------------------------- configuration

    private synchronized void apply(Map<String, Object> properties) {
        String keepsServing = settings == null ? "the DHCP server is not listening until this is fixed"
                : "the previous settings keep serving";
        List<LocalAddress> host;
        try {
            host = hostAddresses.get();
        } catch (IllegalStateException e) {
            SettingsUpdate.refused(LOG, CONFIGURATION, e.getMessage(), keepsServing);
            return;
        }
        boolean[] interfaceLacksAddress = {false};
        Optional<Topology> parsed = SettingsUpdate.apply(CONFIGURATION, properties, config -> {
            DhcpSettings candidate = DhcpSettings.parse(config);
            interfaceLacksAddress[0] = candidate.interfaceName()
                    .filter(name -> host.stream().noneMatch(a -> a.interfaceName().equals(name))).isPresent();
            return Topology.of(candidate, List.copyOf(subnets.values()), host);
        }, LOG, keepsServing);
        waitingForInterface = parsed.isEmpty() && interfaceLacksAddress[0] ? properties : null;
        if (parsed.isEmpty()) {
            return;
        }
        Topology topology = parsed.get();
        DhcpSettings next = topology.settings();
        DhcpSettings previous = settings;
        boolean rebind = previous == null || !previous.bindAddress().equals(next.bindAddress())
                || previous.proxyPort() != next.proxyPort() || !previous.interfaceName().equals(next.interfaceName());
        if ((rebind || previous.mode() != next.mode()) && sharesAPort(next)) {
            return;
        }
        // The processor first: a fresh socket hands it datagrams as soon as it is bound.
        Topology previousTopology = onLoop(() -> processor == null ? null : processor.topology());
        install(topology);
        Optional<String> device = bootNetworkDevice(next);
        Network network = device.isPresent() ? Network.OTHERS : Network.BOOT;
        if (rebind) {
            Channel fresh = bind(next.bindAddress(), false, network, Optional.empty());
            if (fresh == null) {
                restore(previousTopology);
                return;
            }
            Channel freshBootNetwork = null;
            if (device.isPresent()) {
                freshBootNetwork = bind(next.bindAddress(), false, Network.BOOT, device);
                if (freshBootNetwork == null) {
                    fresh.close();
                    restore(previousTopology);
                    return;
                }
            }
            Channel freshBootServer = null;
            if (next.proxyEnabled()) {
                freshBootServer = bind(new InetSocketAddress(next.bindAddress().getAddress(), next.proxyPort()), true,
                        Network.BOOT, Optional.empty());
                if (freshBootServer == null) {
                    fresh.close();
                    close(freshBootNetwork);
                    restore(previousTopology);
                    return;
                }
            }
            List<Channel> old = new ArrayList<>(Arrays.asList(requests, bootNetwork, bootServer));
            requests = fresh;
            bootNetwork = freshBootNetwork;
            bootServer = freshBootServer;
            old.forEach(DhcpServer::close);
        }
        bindBroadcastSenders(topology, next.bindAddress().getPort(), network, rebind);
        settings = next;
        inForce = topology;
        topologyHost = host;
        lastSeen = host;
        followPeers();
        topology.warnings().forEach(w -> LOG.warn("DHCP: {}", w));
        if (previous != null) {
            SettingsUpdate.updated(LOG, CONFIGURATION, next);
        }
        LOG.info("DHCP server ({} mode) listening on {}{} ({}); subnets {}{}", next.mode().name().toLowerCase(),
                next.bindAddress(), next.proxyEnabled() ? " and PXE boot server port " + next.proxyPort() : "",
                transport.name(), topology.subnets(), next.mode() == DhcpMode.SERVER && leases.isEmpty()
                        ? "; no lease store yet, so no address is handed out until one starts" : "");
        if (!configured.equals(subnets)) {
            // Subnets that waited for this configuration, or for an address it makes usable.
            evaluate(host, null).ifPresent(why -> LOG.warn("DHCP: the subnets waiting to be served still cannot"
                    + " be: {}", why));
        }
    }

    /** Heartbeats for the peers in force, from our address as they know it; a new link when either changed. */
    private synchronized void followPeers() {
        if (settings == null) {
            return;
        }
        PeerSettings wanted = settings.peers();
        Optional<Inet4Address> self = peerAddress();
        Optional<PeerLink> current = peers;
        if (current.map(link -> link.serves(wanted, self)).orElse(wanted.alone())) {
            return;
        }
        current.ifPresent(PeerLink::close);
        peers = PeerLink.open(wanted, self, transport, loop, this::peerAddress, Instant::now);
    }

    /** Our address as the peers list it: the server identifier on the boot network. */
    private Optional<Inet4Address> peerAddress() {
        Topology current = inForce;
        return current == null ? Optional.empty() : current.serverId(current.local());
    }

    /** Puts a topology in force on the event loop, creating the processor the first time. */
    private void install(Topology topology) {
        networks = bootNetworks(topology);
        onLoop(() -> {
            if (processor == null) {
                DhcpProcessor created = new DhcpProcessor(topology, new DhcpProcessor.Services(
                        () -> Optional.ofNullable(nodeDirectory), () -> List.copyOf(loaders), () -> classes,
                        () -> Optional.ofNullable(multicastTftp), () -> Optional.ofNullable(httpBoot), leases, events,
                        events::hasListeners,
                        Instant::now, loop, statistics));
                created.restore();
                created.peersDown(() -> peers.map(link -> link.watch().down()).orElse(Set.of()));
                processor = created;
            } else {
                processor.topology(topology);
            }
            return null;
        });
    }

    /** The subnets as loaders see them: network, our address there, the routers; by name. */
    private static List<BootNetwork> bootNetworks(Topology topology) {
        return topology.subnets().stream()
                .map(subnet -> BootNetwork.builder(subnet.name(), Addresses.fromInt(subnet.network()), subnet.prefix())
                        .serverAddress(topology.serverId(Optional.of(subnet)).orElse(null))
                        .routers(subnet.routers())
                        .build())
                .sorted(Comparator.comparing(BootNetwork::name))
                .toList();
    }

    /** Puts back the topology that was in force when a new configuration could not bind its sockets. */
    private void restore(Topology inForce) {
        if (inForce != null) {
            install(inForce);
        }
    }

    @Override
    public synchronized Optional<Refusal> put(String pid, Subnet subnet) {
        for (Map.Entry<String, Subnet> other : configured.entrySet()) {
            if (!other.getKey().equals(pid) && other.getValue().overlaps(subnet)) {
                return Optional.of(new Refusal("'network = " + subnet.cidr() + "': overlaps subnet "
                        + other.getValue().name() + " (" + other.getValue().cidr() + ")", refusedKeepsServing(pid)));
            }
        }
        Subnet replaced = configured.put(pid, subnet);
        if (settings == null) {
            return Optional.of(new Refusal("the DHCP server has no valid configuration yet (etc/org.diskless.dhcp.cfg)",
                    "the subnet is served once it has one"));
        }
        List<LocalAddress> host;
        try {
            host = hostAddresses.get();
        } catch (IllegalStateException e) {
            restoreConfigured(pid, replaced);
            return Optional.of(new Refusal(e.getMessage(), refusedKeepsServing(pid)));
        }
        Optional<String> failed = evaluate(host, pid);
        if (failed.isPresent()) {
            restoreConfigured(pid, replaced);
            return Optional.of(new Refusal(failed.get(), refusedKeepsServing(pid)));
        }
        if (subnet.equals(subnets.get(pid))) {
            LOG.info("DHCP subnet {} in force: {}", subnet, servedHow(subnet));
            return Optional.empty();
        }
        return Optional.of(new Refusal(Topology.NO_SERVER_ID, (subnets.containsKey(pid)
                ? "the previous version of this subnet keeps serving until this one can be"
                : "nothing serves this subnet until then") + "; it is served as soon as this host has an address"
                + " (they are looked at every " + ADDRESS_CHECK_SECONDS + " s)"));
    }

    private void restoreConfigured(String pid, Subnet replaced) {
        if (replaced == null) {
            configured.remove(pid);
        } else {
            configured.put(pid, replaced);
        }
    }

    private String refusedKeepsServing(String pid) {
        return subnets.containsKey(pid) ? "the previous version of this subnet keeps serving"
                : "this subnet is not served until it is fixed";
    }

    @Override
    public synchronized void putClass(String pid, ClientClass clientClass) {
        classesByPid.put(pid, clientClass);
        classes = classesByPid.values().stream().sorted(Comparator.comparing(ClientClass::name)).toList();
        LOG.info("DHCP client class {} in force", clientClass);
    }

    @Override
    public synchronized void removeClass(String pid) {
        ClientClass removed = classesByPid.remove(pid);
        if (removed != null) {
            classes = classesByPid.values().stream().sorted(Comparator.comparing(ClientClass::name)).toList();
            LOG.info("DHCP client class {} removed", removed.name());
        }
    }

    @Override
    public synchronized void remove(String pid) {
        Subnet removed = configured.remove(pid);
        if (subnets.containsKey(pid) && settings != null) {
            List<LocalAddress> host;
            try {
                host = hostAddresses.get();
            } catch (IllegalStateException e) {
                host = topologyHost;
            }
            evaluate(host, pid).ifPresent(why -> LOG.warn("DHCP: after removing subnet {}: {}", pid, why));
        }
        if (removed != null) {
            LOG.info("DHCP subnet {} removed", removed.name());
        }
    }

    /**
     * Reads the host's addresses and, when they changed since the last look, serves the subnets
     * that waited for an address and stops serving those left without one, each with one line.
     * Run every few seconds off the event loop; a failure is logged and the next look tries again.
     */
    void checkHostAddresses() {
        try {
            List<LocalAddress> now = hostAddresses.get();
            synchronized (this) {
                if (Set.copyOf(now).equals(Set.copyOf(lastSeen))) {
                    return;
                }
                lastSeen = now;
                if (waitingForInterface != null) {
                    apply(waitingForInterface);
                } else if (settings != null) {
                    evaluate(now, null).ifPresent(why -> LOG.warn("DHCP: this host's addresses changed and the"
                            + " subnets cannot follow: {}; the previous topology keeps serving", why));
                }
            }
        } catch (RuntimeException e) {
            addressWarning.warn(LOG, "check", "Cannot read this host's addresses to see whether a DHCP subnet can be"
                    + " served now: {}", String.valueOf(e.getMessage()));
        }
    }

    private List<LocalAddress> readHostOrNothing() {
        try {
            return hostAddresses.get();
        } catch (IllegalStateException e) {
            return List.of();
        }
    }

    /**
     * Puts in force every configured subnet that the host's addresses let it serve (a newer
     * version that cannot be served leaves the one in force serving) and says what changed for
     * each, except {@code quiet}, whose caller says it.
     *
     * @return why no topology could be built from them; nothing changed then
     */
    private Optional<String> evaluate(List<LocalAddress> host, String quiet) {
        DhcpSettings current = settings;
        Map<String, Subnet> next = new LinkedHashMap<>();
        for (Map.Entry<String, Subnet> entry : configured.entrySet()) {
            Subnet wanted = entry.getValue();
            Subnet inForce = subnets.get(entry.getKey());
            if (Topology.serverId(current, wanted, host).isPresent()) {
                next.put(entry.getKey(), wanted);
            } else if (inForce != null && Topology.serverId(current, inForce, host).isPresent()) {
                next.put(entry.getKey(), inForce);
            }
        }
        Topology topology;
        try {
            topology = Topology.of(current, List.copyOf(next.values()), host);
        } catch (InvalidSettingException e) {
            return Optional.of(e.getMessage());
        }
        install(topology);
        bindBroadcastSenders(topology, current.bindAddress().getPort(),
                bootNetworkDevice(current).isPresent() ? Network.OTHERS : Network.BOOT, false);
        topology.warnings().forEach(w -> LOG.warn("DHCP: {}", w));
        Map<String, Subnet> before = new LinkedHashMap<>(subnets);
        List<LocalAddress> hostBefore = topologyHost;
        subnets.clear();
        subnets.putAll(next);
        inForce = topology;
        topologyHost = host;
        lastSeen = host;
        followPeers();
        Set<String> pids = new java.util.LinkedHashSet<>(before.keySet());
        pids.addAll(next.keySet());
        pids.remove(quiet);
        for (String pid : pids) {
            reportChange(before.get(pid), next.get(pid), hostBefore, host);
        }
        return Optional.empty();
    }

    /** One line for a subnet whose service changed with the host's addresses; nothing when it did not change. */
    private void reportChange(Subnet before, Subnet after, List<LocalAddress> hostBefore, List<LocalAddress> host) {
        if (before == null) {
            LOG.info("DHCP subnet {} is served now: {}", after, servedHow(after));
        } else if (after == null) {
            LOG.warn("DHCP subnet {} is no longer served: {}; it is served again as soon as this host has an address",
                    before, Topology.NO_SERVER_ID);
        } else if (!before.equals(after)) {
            LOG.info("DHCP subnet {} in force: {}", after, servedHow(after));
        } else {
            Optional<LocalAddress> was = Topology.attachment(before, hostBefore);
            Optional<LocalAddress> is = Topology.attachment(after, host);
            if (was.isEmpty() && is.isPresent()) {
                LOG.info("DHCP subnet {}: {}", after, servedHow(after));
            } else if (was.isPresent() && is.isEmpty()) {
                LOG.warn("DHCP subnet {}: this host no longer has an address in it ({} is gone from {}), so broadcasts"
                        + " of its clients go unanswered; {}", after, was.get().address().getHostAddress(),
                        was.get().interfaceName(), servedHow(after));
            }
        }
    }

    /** How a subnet in force is served, from the topology in force. */
    private String servedHow(Subnet subnet) {
        Optional<LocalAddress> own = Topology.attachment(subnet, topologyHost);
        if (own.isPresent()) {
            return "this host's address " + own.get().address().getHostAddress() + " (" + own.get().interfaceName()
                    + ") is in it";
        }
        Optional<Inet4Address> id = inForce == null ? Optional.empty() : inForce.serverId(Optional.of(subnet));
        return "this host has no address in it; relayed requests are answered from "
                + id.map(Inet4Address::getHostAddress).orElse("(none)");
    }

    /**
     * Keeps one channel bound to each of our addresses that is a server identifier, on the DHCP
     * port. A broadcast reply sent from it leaves through that address's interface even without a
     * route for 255.255.255.255 (Linux picks the interface from the bound source address), which
     * is the interface its clients are on. Such a channel also receives unicasts to its address
     * (renewals, relays) and answers them like the wildcard one.
     */
    private void bindBroadcastSenders(Topology topology, int port, Network network, boolean rebindAll) {
        // Listening on one address already: its channel sends from it.
        boolean wildcard = requests == null
                || ((InetSocketAddress) requests.localAddress()).getAddress().isAnyLocalAddress();
        Set<Inet4Address> wanted = wildcard ? topology.localServerIds() : Set.of();
        Map<Inet4Address, Channel> current = broadcastSenders;
        Map<Inet4Address, Channel> next = new LinkedHashMap<>();
        for (Inet4Address address : wanted) {
            Channel kept = rebindAll ? null : current.get(address);
            Channel channel = kept != null && kept.isActive() ? kept
                    : bind(new InetSocketAddress(address, port), false, network, Optional.empty());
            if (channel != null) {
                next.put(address, channel);
            }
        }
        broadcastSenders = Map.copyOf(next);
        current.forEach((address, channel) -> {
            if (next.get(address) != channel) {
                close(channel);
            }
        });
    }

    /**
     * Refuses {@code next} when another socket already holds one of its ports. With SO_REUSEADDR
     * the bind would succeed, and the two would split the requests between them without a word:
     * another DHCP server on port 67, another boot server on 4011, TFTP on 69 when {@code port}
     * was mistyped. The one sharing that is meant is a ProxyDHCP on port 67 beside the network's
     * DHCP server on the same host.
     */
    private boolean sharesAPort(DhcpSettings next) {
        Optional<Set<Long>> own = ownSockets();
        if (own.isEmpty()) {
            // NIO shows no file descriptors: our own sockets could not be told from others'.
            return false;
        }
        Inet4Address address = (Inet4Address) next.bindAddress().getAddress();
        List<UdpListeners.Listener> onRequestPort = UdpListeners.sharing(address, next.bindAddress().getPort(), own.get());
        if (!onRequestPort.isEmpty()) {
            if (next.mode() != DhcpMode.PROXY) {
                refuseSharing("port", next.bindAddress().getPort(), onRequestPort, next.bindAddress().getPort() == 67
                        ? "Another DHCP server runs on this host (dnsmasq, dhcpd, Kea, a second Diskless?): stop it,"
                        + " or set mode = proxy to answer PXE clients beside it."
                        : "Is it another service's port (TFTP is 69)?");
                return true;
            }
            LOG.info("DHCP in proxy mode shares UDP port {} with {}: the ProxyDHCP beside the network's DHCP server"
                    + " on this host", next.bindAddress().getPort(), onRequestPort);
        }
        if (next.proxyEnabled()) {
            List<UdpListeners.Listener> onBootServerPort = UdpListeners.sharing(address, next.proxyPort(), own.get());
            if (!onBootServerPort.isEmpty()) {
                refuseSharing("proxyPort", next.proxyPort(), onBootServerPort, "Another PXE boot server runs on this"
                        + " host (a second Diskless, dnsmasq with pxe-service?): stop it, or set proxyPort = 0.");
                return true;
            }
        }
        return false;
    }

    private void refuseSharing(String key, int port, List<UdpListeners.Listener> others, String hint) {
        SettingsUpdate.refused(LOG, CONFIGURATION, new InvalidSettingException(key, port, "UDP port " + port
                + " is already held by " + others + ". " + hint + " Two servers on one port split its requests without"
                + " a word; 'ss -ulpn sport = :" + port + "' names the program"), settings == null
                ? "the DHCP server is not listening until this is fixed" : "the previous settings keep serving");
    }

    /** The inodes of the sockets this server holds; empty when the transport cannot tell them. */
    private Optional<Set<Long>> ownSockets() {
        List<Channel> channels = new ArrayList<>(broadcastSenders.values());
        channels.addAll(Arrays.asList(requests, bootNetwork, bootServer));
        Set<Long> inodes = new HashSet<>();
        for (Channel channel : channels) {
            if (channel == null || !channel.isOpen()) {
                continue;
            }
            Optional<Long> inode = transport.inode(channel);
            if (inode.isEmpty()) {
                return Optional.empty();
            }
            inodes.add(inode.get());
        }
        return Optional.of(inodes);
    }

    /**
     * The interface the boot network's broadcasts are taken on by a socket of their own, when
     * {@code interface} is set and the server listens on every address: the wildcard socket then
     * takes only unicasts, from relays and clients that have an address.
     */
    private Optional<String> bootNetworkDevice(DhcpSettings settings) {
        if (settings.interfaceName().isEmpty() || !settings.bindAddress().getAddress().isAnyLocalAddress()) {
            return Optional.empty();
        }
        if (!transport.bindsToDevice()) {
            deviceWarning.warn(LOG, "nio", "interface = {} cannot keep other networks' broadcasts out on the {}"
                    + " transport: a DISCOVER arriving on another interface is served from {}'s subnet",
                    settings.interfaceName().get(), transport.name(), settings.interfaceName().get());
            return Optional.empty();
        }
        return settings.interfaceName();
    }

    /**
     * @param device the interface the socket takes datagrams from (SO_BINDTODEVICE); empty for all
     */
    private Channel bind(InetSocketAddress address, boolean bootServerPort, Network network, Optional<String> device) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.channelType())
                .option(ChannelOption.SO_BROADCAST, true)
                // Lets a ProxyDHCP share port 67 with the network's DHCP server on the same host:
                // Linux hands a broadcast to every socket bound with SO_REUSEADDR.
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_RCVBUF, 4 << 20);
        device.ifPresent(name -> transport.bindToDevice(bootstrap, name));
        // Where a datagram was sent tells a broadcast from a unicast: the OTHERS channel drops
        // broadcasts, and with peers a renewal unicast to us is ours whatever its RFC 3074 bucket.
        transport.recordDestination(bootstrap);
        ChannelFuture future = bootstrap
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel channel) {
                        transport.configureReads(channel, DATAGRAM_BUFFER);
                        channel.pipeline().addLast("encoder", new DhcpEncoder());
                        channel.pipeline().addLast("requests",
                                new DhcpChannelHandler(DhcpServer.this, bootServerPort, network, replies));
                    }
                })
                .bind(address);
        if (!future.awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS) || !future.isSuccess()) {
            String why = future.cause() == null ? "timed out" : String.valueOf(future.cause().getMessage());
            LOG.error("Cannot listen for DHCP on {}{}: {}. {} {}", address, device.map(d -> " (interface " + d + ")")
                    .orElse(""), why, bindHint(why, address),
                    requests == null ? "DHCP is not served." : "Still serving with the previous settings.");
            future.channel().close();
            return null;
        }
        return future.channel();
    }

    /** What to do about a failed bind, from the system's reason. */
    private static String bindHint(String why, InetSocketAddress address) {
        if (why.contains("assign requested address")) {
            return "No interface of this host has the address " + address.getAddress().getHostAddress()
                    + ": set 'address' in etc/org.diskless.dhcp.cfg to one it has, or to 0.0.0.0.";
        }
        if (why.contains("in use")) {
            return "Another program holds the port without SO_REUSEADDR ('ss -ulpn sport = :" + address.getPort()
                    + "' names it); stop it, or set 'port'/'proxyPort' in etc/org.diskless.dhcp.cfg.";
        }
        if (why.contains("ermission")) {
            return "A port below 1024, such as 67, needs root or CAP_NET_BIND_SERVICE.";
        }
        return "Check 'address', 'port' and 'proxyPort' in etc/org.diskless.dhcp.cfg.";
    }

    private static void close(Channel channel) {
        if (channel != null) {
            channel.close();
        }
    }

    /** Runs {@code task} on the event loop and waits for it; the loop owns the lease book. */
    private <T> T onLoop(Callable<T> task) {
        if (loop.next().inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return loop.submit(task).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the DHCP event loop did not answer: " + e, e);
        }
    }

    // ---------------------------------------------------------------- DhcpChannelHandler.DhcpServerCore

    @Override
    public Optional<Channel> broadcastSender(DhcpMessage reply) {
        return reply.options().serverIdentifier().map(broadcastSenders::get);
    }

    @Override
    public DhcpProcessor processor() {
        return processor;
    }

    @Override
    public DhcpStatistics statistics() {
        return statistics;
    }

    // ---------------------------------------------------------------- ProtocolStatistics, BootNetworks

    @Override
    public BootProtocol protocol() {
        return BootProtocol.DHCP;
    }

    @Override
    public Map<String, Long> counters() {
        return statistics.counters();
    }

    @Override
    public Map<String, DurationHistogram> durations() {
        return statistics.durations();
    }

    @Override
    public List<BootNetwork> networks() {
        return networks;
    }

    // ---------------------------------------------------------------- DhcpMonitor

    @Override
    public List<LeaseView> leases() {
        DhcpProcessor current = processor;
        if (current == null) {
            return List.of();
        }
        return views(onLoop(() -> current.book().bindings()));
    }

    @Override
    public List<String> explain(HardwareAddress mac, Optional<ClientArchitecture> architecture,
                                Optional<String> userClass) {
        DhcpProcessor current = processor;
        if (current == null) {
            return List.of("the DHCP server is not running: its configuration (etc/org.diskless.dhcp.cfg) was refused"
                    + " or is missing, see log:display");
        }
        return onLoop(() -> current.explain(mac, architecture, userClass));
    }

    @Override
    public List<LeaseView> clearDeclines(Optional<Inet4Address> address) {
        DhcpProcessor current = processor;
        if (current == null) {
            return List.of();
        }
        List<LeaseView> cleared = views(onLoop(() -> current.clearDeclines(address)));
        cleared.forEach(c -> LOG.info("Declined address {} (declined by {}) is back in the pool: cleared from the"
                + " console", c.address(), c.hardwareAddress()));
        return cleared;
    }

    private List<LeaseView> views(List<Binding> bindings) {
        NodeDirectory directory = nodeDirectory;
        return bindings.stream()
                .sorted(Comparator.comparingLong(b -> Integer.toUnsignedLong(b.address())))
                .map(b -> new LeaseView(Addresses.format(b.address()), b.hardwareAddress().toString(), b.clientId(),
                        b.state().name().toLowerCase(), b.expires(),
                        directory == null ? Optional.empty()
                                : directory.byHardwareAddress(b.hardwareAddress()).map(n -> n.name())))
                .toList();
    }

    @Override
    public List<PoolUsage> pools() {
        DhcpProcessor current = processor;
        if (current == null) {
            return List.of();
        }
        return onLoop(() -> {
            List<PoolUsage> pools = new ArrayList<>();
            Map<AddressPool, Integer> elsewhere = current.heldElsewhere();
            for (AddressPool pool : current.book().pools()) {
                Map<Binding.State, Integer> counts = current.book().countByState(pool);
                Subnet subnet = pool.subnet();
                int heldByPeers = elsewhere.getOrDefault(pool, 0);
                pools.add(PoolUsage.builder(subnet.name(), subnet.cidr(), pool.size())
                        .ranges(subnet.ranges().stream().map(AddressRange::toString).toList())
                        .bound(counts.getOrDefault(Binding.State.BOUND, 0)
                                + counts.getOrDefault(Binding.State.COMMITTING, 0))
                        .offered(counts.getOrDefault(Binding.State.OFFERED, 0))
                        .declined(counts.getOrDefault(Binding.State.DECLINED, 0))
                        .heldByPeers(heldByPeers)
                        .free(pool.size() - pool.takenCount() - heldByPeers).build());
            }
            pools.sort(Comparator.comparing(PoolUsage::subnet));
            return pools;
        });
    }

    @Override
    public List<PeerView> peers() {
        DhcpProcessor current = processor;
        Optional<PeerLink> link = peers;
        Optional<Inet4Address> self = peerAddress();
        if (current == null || link.isEmpty() || self.isEmpty()) {
            return List.of();
        }
        BucketMap map = onLoop(() -> current.balancer().map(self.get()));
        List<PeerView> views = new ArrayList<>();
        List<Integer> ours = map.bucketsOf(self.get());
        views.add(new PeerView(self.get().getHostAddress(), true, true, Optional.empty(), BucketMap.describe(ours),
                ours.size()));
        for (PeerWatch.PeerState peer : link.get().watch().states()) {
            List<Integer> theirs = map.bucketsOf(peer.address());
            views.add(new PeerView(peer.address().getHostAddress(), false, peer.up(), peer.lastSeen(),
                    BucketMap.describe(theirs), theirs.size()));
        }
        return views;
    }

    @Override
    public List<CounterView> counterViews() {
        DhcpStatistics.Snapshot snapshot = statistics.snapshot();
        List<CounterView> counters = new ArrayList<>();
        for (DhcpMessageType type : DhcpMessageType.values()) {
            if (type.fromClient()) {
                counters.add(new CounterView("received", type.name(), snapshot.received().getOrDefault(type, 0L), ""));
            } else {
                counters.add(new CounterView("sent", type.name(), snapshot.sent().getOrDefault(type, 0L), ""));
            }
        }
        counters.add(new CounterView("received", "BOOTREQUEST", snapshot.bootpReceived(), "BOOTP, no message type"));
        counters.add(new CounterView("sent", "BOOTREPLY", snapshot.bootpSent(), "BOOTP, fixed address"));
        for (DhcpStatistics.Drop drop : DhcpStatistics.Drop.values()) {
            counters.add(new CounterView("dropped", drop.label(), snapshot.dropped(drop), drop.description));
        }
        return counters;
    }

    @Override
    public Optional<InetSocketAddress> listeningOn() {
        return localAddress(requests);
    }

    @Override
    public Optional<InetSocketAddress> bootServerListeningOn() {
        return localAddress(bootServer);
    }

    private static Optional<InetSocketAddress> localAddress(Channel channel) {
        return channel != null && channel.isActive()
                ? Optional.of((InetSocketAddress) channel.localAddress()) : Optional.empty();
    }

    @Override
    public String transport() {
        return transport.name();
    }

    @Override
    public String mode() {
        DhcpSettings current = settings;
        return current == null ? "not configured" : current.mode().name().toLowerCase();
    }
}

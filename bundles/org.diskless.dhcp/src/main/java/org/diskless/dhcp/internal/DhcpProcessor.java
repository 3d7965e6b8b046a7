package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.HttpBootEndpoint;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.boot.MulticastTftp;
import org.diskless.api.leases.AddressTakenException;
import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOp;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.dhcp.codec.PxeClientClass;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;

/**
 * Takes every DHCP request: finds out who is asking, hands what needs no address (ProxyDHCP, the
 * boot server port 4011) to the {@link BootServer}, BOOTP requests to the {@link BootpServer},
 * and in server mode decides addresses and
 * leases (RFC 2131), with the boot answer from {@link BootAnswers}. All of it runs on the DHCP
 * event loop, one message at a time, so decisions about addresses never race; the only work that
 * leaves the loop is making a lease durable, after which the ACK is sent from the loop again.
 */
final class DhcpProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpProcessor.class);

    /** Where decided replies go: the channel the request came in on. */
    interface Outbox {
        void send(DhcpMessage reply, InetSocketAddress recipient);
    }

    /**
     * What the processor needs from the running server, looked up per message (services come and go).
     * {@code eventsWanted} says whether anyone takes boot events, so none is built for nobody.
     * {@code leases} is the lease store, which only server mode needs: a ProxyDHCP hands out no
     * address and runs without one. {@code classes} are the client classes in force, by name.
     * {@code http} is where the boot root is served over HTTP, while an HTTP boot server runs: HTTP
     * boot clients whose boot file is a path get a URL on it.
     */
    record Services(Supplier<Optional<NodeDirectory>> nodes, Supplier<List<RankedLoader>> loaders,
                    Supplier<List<ClientClass>> classes, Supplier<Optional<MulticastTftp>> mtftp,
                    Supplier<Optional<HttpBootEndpoint>> http, Optional<LeaseStore> leases,
                    java.util.function.Consumer<BootEvent> events,
                    BooleanSupplier eventsWanted, Supplier<Instant> clock, Executor loop, DhcpStatistics statistics) {
    }

    /**
     * A request as it arrived: the message, who sent it, whether it came to the PXE port 4011, and
     * whether it came in on the boot network ({@code interface}, or any interface when that is
     * unset), where a client that names no network of its own belongs to the local subnet, and
     * whether it was broadcast (or sent where we cannot tell) rather than sent to this server.
     */
    record Arrival(DhcpMessage message, InetSocketAddress sender, boolean bootServerPort, boolean onBootNetwork,
                   boolean toBroadcast) {

        /** A request whose destination is unknown, taken as broadcast (the only way a new client asks). */
        Arrival(DhcpMessage message, InetSocketAddress sender, boolean bootServerPort, boolean onBootNetwork) {
            this(message, sender, bootServerPort, onBootNetwork, true);
        }
    }

    private final Services services;
    private final LeaseBook book = new LeaseBook();
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final LogThrottle identityNotices = new LogThrottle(Duration.ofHours(1));
    private final Replies replies;
    private final BootAnswers answers;
    private final BootServer bootServer;
    private final BootpServer bootp;
    private Topology topology;
    private Supplier<Set<Inet4Address>> peersDown = Set::of;
    private LoadBalancer balancer;
    private final InventoryAgreement agreement = new InventoryAgreement();
    /**
     * Addresses the lease store refused because another server leased them, until its cache has
     * caught up with that lease: kept out of offers meanwhile. At most the pools' addresses.
     */
    private final Map<Integer, Instant> takenElsewhere = new HashMap<>();

    DhcpProcessor(Topology topology, Services services) {
        this.topology = topology;
        this.services = services;
        this.replies = new Replies(this::topology, services);
        this.answers = new BootAnswers(this::topology, services);
        this.bootServer = new BootServer(this::topology, services.statistics(), answers, replies);
        this.bootp = new BootpServer(this::topology, services.statistics(), answers, replies);
        book.subnets(topology.subnets());
        this.balancer = new LoadBalancer(topology.settings().peers(), () -> peersDown.get());
    }

    /** Rebuilds holds from the lease store; called once before the first request. */
    void restore() {
        services.leases().ifPresent(store -> book.restore(store.leases(), services.clock().get()));
    }

    void topology(Topology next) {
        this.topology = next;
        book.subnets(next.subnets());
        if (!next.settings().peers().equals(balancer.settings())) {
            balancer = new LoadBalancer(next.settings().peers(), () -> peersDown.get());
        }
    }

    /** Where the processor learns which peers are down; none until the heartbeats say so. */
    void peersDown(Supplier<Set<Inet4Address>> down) {
        this.peersDown = down;
    }

    LoadBalancer balancer() {
        return balancer;
    }

    /**
     * With peers, how many addresses of each pool the shared lease store holds for leases this
     * server's book does not have: the other servers' clients. Alone, none: the book is the store.
     */
    Map<AddressPool, Integer> heldElsewhere() {
        Map<AddressPool, Integer> counts = new HashMap<>();
        if (topology.settings().peers().alone() || services.leases().isEmpty()) {
            return counts;
        }
        Instant now = services.clock().get();
        for (Lease lease : services.leases().get().leases()) {
            int address = Addresses.toInt(lease.address());
            if (lease.state() == Lease.State.RELEASED || !now.isBefore(lease.expires())
                    || book.bindingAt(address).isPresent()) {
                continue;
            }
            book.pool(address).ifPresent(pool -> counts.merge(pool, 1, Integer::sum));
        }
        return counts;
    }

    Topology topology() {
        return topology;
    }

    LeaseBook book() {
        return book;
    }

    void expire() {
        Instant now = services.clock().get();
        book.expire(now);
        takenElsewhere.values().removeIf(until -> !now.isBefore(until));
    }

    /**
     * Whether a datagram is a request a peer answers, decided from its raw bytes before it is
     * decoded (see {@link PeerTriage}), and counted as {@link #handle} counts such a request:
     * received, then dropped as a peer's. False when it is ours, or when only the decoded message
     * can tell: then it is decoded and handled as any other.
     */
    boolean leftToPeer(ByteBuf datagram, boolean bootServerPort, boolean toBroadcast) {
        if (bootServerPort || topology.settings().mode() == DhcpMode.PROXY || balancer.settings().alone()) {
            return false;
        }
        Optional<Inet4Address> self = topology.serverId(topology.local());
        if (self.isEmpty()) {
            return false;
        }
        DhcpMessageType type = PeerTriage.leftToPeer(datagram, balancer, self.get(), toBroadcast);
        if (type == null) {
            return false;
        }
        services.statistics().received(type);
        services.statistics().dropped(Drop.PEER_BUCKET);
        return true;
    }

    void handle(Arrival arrival, Outbox outbox) {
        DhcpMessage request = arrival.message();
        DhcpStatistics stats = services.statistics();
        Optional<HardwareAddress> mac = request.hardwareAddress();
        if (request.op() != DhcpOp.BOOTREQUEST || mac.isEmpty()) {
            stats.dropped(Drop.NOT_A_REQUEST);
            return;
        }
        Optional<DhcpMessageType> type = request.messageType();
        if (type.isEmpty()) {
            stats.receivedBootp();
            if (bootp.admits(arrival)) {
                bootp.request(identify(request, mac.get(), arrival, BootpServer.BOOTP), outbox);
            }
            return;
        }
        if (!type.get().fromClient()) {
            stats.dropped(Drop.NOT_A_REQUEST);
            return;
        }
        stats.received(type.get());
        boolean bootService = topology.settings().mode() == DhcpMode.PROXY || arrival.bootServerPort();
        // Our address among the peers is the one they list and hear heartbeats from: the boot
        // network's. Decided before the client is identified: with peers, every server sees every
        // broadcast, and half or more of them are a peer's, on which nothing more is to be spent.
        if (!bootService && !balancer.decide(request, type.get(), topology.serverId(topology.local()),
                arrival.toBroadcast()).answered()) {
            stats.dropped(Drop.PEER_BUCKET);
            return;
        }
        DhcpClient client = identify(request, mac.get(), arrival,
                bootService ? BootProtocol.PROXY_DHCP : BootProtocol.DHCP);
        if (arrival.bootServerPort()) {
            bootServer.request(client, type.get(), outbox);
            return;
        }
        if (topology.settings().mode() == DhcpMode.PROXY) {
            bootServer.proxyOffer(client, type.get(), outbox);
            return;
        }
        if (replies.refusedAsUnknown(client)) {
            return;
        }
        if (services.leases().isEmpty() && type.get() != DhcpMessageType.INFORM) {
            stats.dropped(Drop.NO_LEASE_STORE);
            throttle.error(LOG, "no-lease-store", "Not answering {} from {}: server mode hands out addresses only"
                    + " once they are durable, and no lease store is running (feature:install diskless-leases, or"
                    + " see in this log why it did not start). ProxyDHCP (mode = proxy) needs none",
                    type.get(), client.mac());
            return;
        }
        switch (type.get()) {
            case DISCOVER -> discover(client, outbox);
            case REQUEST -> request(client, outbox);
            case DECLINE -> decline(client);
            case RELEASE -> release(client);
            case INFORM -> inform(client, outbox);
            default -> stats.dropped(Drop.NOT_A_REQUEST);
        }
    }

    // ---------------------------------------------------------------- who is asking

    private DhcpClient identify(DhcpMessage request, HardwareAddress mac, Arrival arrival, BootProtocol protocol) {
        DhcpOptions options = request.options();
        Optional<NodeDirectory> directory = services.nodes().get();
        Optional<Node> node = Optional.empty();
        if (directory.isPresent()) {
            node = directory.get().byHardwareAddress(mac);
            if (node.isEmpty()) {
                Optional<UUID> uuid = options.clientMachineUuid();
                if (uuid.isPresent()) {
                    node = directory.get().byUuid(uuid.get());
                }
            }
        }
        Optional<PxeClientClass> pxeClass = options.pxeClientClass();
        List<ClientArchitecture> announced = options.clientArchitectures();
        Optional<ClientArchitecture> architecture = !announced.isEmpty() ? Optional.of(announced.get(0))
                : pxeClass.isPresent() ? pxeClass.get().architecture() : Optional.empty();
        BootContext context = BootContext.of(protocol, arrival.sender()).withHardwareAddress(mac);
        if (node.isPresent()) {
            context = context.withNode(node.get());
        }
        if (architecture.isPresent()) {
            context = context.withArchitecture(architecture.get());
        }
        List<String> userClasses = options.userClasses();
        if (!userClasses.isEmpty()) {
            // RFC 3004 user classes are at most 255 bytes each; a longer text is a malformed option
            // 77 read whole, and loaders get no more of it than of a well-formed one.
            String userClass = userClasses.contains(BootSelector.IPXE_USER_CLASS) ? BootSelector.IPXE_USER_CLASS
                    : userClasses.get(0);
            context = context.withUserClass(userClass.length() > MAX_USER_CLASS
                    ? userClass.substring(0, MAX_USER_CLASS) : userClass);
        }
        boolean pxe = pxeClass.isPresent() || options.contains(DhcpOptions.CLIENT_ARCHITECTURE);
        String id;
        if (topology.settings().leaseKey() == DhcpSettings.LeaseKey.MAC) {
            id = hardwareId(mac);
        } else {
            id = clientId(request, mac);
            noticeSharedClientId(request, id, mac);
        }
        return new DhcpClient(request, arrival.sender(), mac, id, node, subnetFor(request, arrival.onBootNetwork()),
                context, pxe);
    }

    /**
     * Machines cloned from one image often send the same option 61, and then share one lease, one
     * address: as RFC 2131 asks, but rarely what the operator wants. Said once per pair of MACs
     * (an hour apart at most), with the setting that gives each its own.
     */
    private void noticeSharedClientId(DhcpMessage request, String id, HardwareAddress mac) {
        if (request.options().clientIdentifier().isEmpty()) {
            return;
        }
        Optional<Binding> held = book.bindingOf(id);
        if (held.isEmpty() || held.get().hardwareAddress().equals(mac)) {
            return;
        }
        HardwareAddress other = held.get().hardwareAddress();
        String pair = other.toString().compareTo(mac.toString()) < 0 ? other + "+" + mac : mac + "+" + other;
        identityNotices.warn(LOG, pair + "/" + Integer.toHexString(id.hashCode()), "Client id {} comes from {} and"
                + " from {} (machines cloned from one image?): they share one lease and one address. Set leaseKey ="
                + " mac in etc/org.diskless.dhcp.cfg to give each MAC its own", Printable.of(id, 64), other, mac);
    }

    private static final int MAX_USER_CLASS = 255;
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":");

    /** Option 61 when the client sends one, else its hardware type and address (RFC 2132 9.14). */
    static String clientId(DhcpMessage request, HardwareAddress mac) {
        Optional<byte[]> identifier = request.options().clientIdentifier();
        if (identifier.isPresent()) {
            return COLON_HEX.formatHex(identifier.get());
        }
        return hardwareId(mac);
    }

    /** The hardware type and address, as the client id of a client that sends no option 61. */
    static String hardwareId(HardwareAddress mac) {
        byte[] address = mac.toByteArray();
        StringBuilder id = new StringBuilder(3 + 3 * address.length);
        COLON_HEX.toHexDigits(id, (byte) mac.type()).append(':');
        return COLON_HEX.formatHex(id, address).toString();
    }

    /**
     * Relayed requests belong to the relay's subnet (giaddr; option 118 when the relay names
     * another); a renewing client to the subnet of its address; anything else that came in on the
     * boot network to the subnet this host is attached to there, and from elsewhere to none.
     */
    private Optional<Subnet> subnetFor(DhcpMessage request, boolean onBootNetwork) {
        Optional<byte[]> selection = request.options().get(DhcpOptions.SUBNET_SELECTION).filter(v -> v.length == 4);
        if (selection.isPresent()) {
            return topology.subnetOf(Addresses.fromInt(Addresses.toInt(toAddress(selection.get()))));
        }
        if (request.isRelayed()) {
            return topology.subnetOf(request.giaddr());
        }
        if (!Addresses.isAny(request.ciaddr())) {
            Optional<Subnet> own = topology.subnetOf(request.ciaddr());
            if (own.isPresent()) {
                return own;
            }
        }
        return onBootNetwork ? topology.local() : Optional.empty();
    }

    private static Inet4Address toAddress(byte[] four) {
        return Addresses.fromInt((four[0] & 0xFF) << 24 | (four[1] & 0xFF) << 16 | (four[2] & 0xFF) << 8 | four[3] & 0xFF);
    }

    /**
     * Addresses that are some other node's fixed address are never handed out dynamically. With
     * peers, neither are those the shared lease store holds for another client: another server's
     * lease is there before this server's lease book has heard of it. (A server alone keeps its
     * book and its store in step, and its book frees the address a client moved away from before
     * the store's row for it expires.)
     */
    private IntPredicate notReservedFor(DhcpClient client) {
        Optional<NodeDirectory> directory = services.nodes().get();
        Optional<LeaseStore> store = topology.settings().peers().alone() ? Optional.empty() : services.leases();
        Instant now = services.clock().get();
        IntPredicate notHeldElsewhere = address -> {
            Optional<Lease> held = store.flatMap(st -> st.byAddress(Addresses.fromInt(address)))
                    .filter(lease -> lease.state() != Lease.State.RELEASED && now.isBefore(lease.expires()));
            if (held.isPresent()) {
                return held.get().clientId().equals(client.id());
            }
            Instant refused = takenElsewhere.get(address);
            return refused == null || !now.isBefore(refused);
        };
        if (directory.isEmpty()) {
            return notHeldElsewhere;
        }
        return address -> directory.get().byAddress(Addresses.fromInt(address))
                .map(owner -> owner.hardwareAddress().equals(client.mac())).orElse(true) && notHeldElsewhere.test(address);
    }

    // ---------------------------------------------------------------- server mode

    private void discover(DhcpClient client, Outbox outbox) {
        replies.event(client, BootEvent.Kind.DISCOVER, client::describe);
        if (client.subnet().isEmpty()) {
            noSubnet(client);
            return;
        }
        Instant now = services.clock().get();
        Optional<Inet4Address> address = client.fixedAddress();
        checkAgreement(client, now);
        if (address.isEmpty()) {
            Optional<Inet4Address> previous = store().byClientId(client.id()).map(Lease::address);
            address = book.offer(client.subnet().get(), client.id(), client.mac(),
                    client.request().options().requestedIpAddress(), previous, notReservedFor(client),
                    balancer.share(topology.serverId(topology.local())), now,
                    topology.settings().offerHold());
        }
        if (address.isEmpty()) {
            services.statistics().dropped(Drop.POOL_EXHAUSTED);
            throttle.warn(LOG, "exhausted:" + client.subnet().get().name(), "No free address in subnet {} for {}:"
                    + " every address in {} is leased, offered or declined", client.subnet().get().name(), client.mac(),
                    client.subnet().get().ranges());
            return;
        }
        DhcpMessage offer = leaseReply(client, DhcpMessageType.OFFER, address.get(), leaseTime(client)).build();
        replies.send(client, offer, outbox);
        Inet4Address offered = address.get();
        replies.event(client, BootEvent.Kind.OFFER, () -> offered.getHostAddress() + Replies.bootNote(offer), offered);
    }

    private void request(DhcpClient client, Outbox outbox) {
        DhcpOptions options = client.request().options();
        Optional<Inet4Address> serverId = options.serverIdentifier();
        Optional<Inet4Address> ours = topology.serverId(client.subnet());
        replies.event(client, BootEvent.Kind.REQUEST, client::describe);
        if (serverId.isPresent()) {
            if (ours.isEmpty() || !serverId.get().equals(ours.get())) {
                book.withdrawOffer(client.id());
                services.statistics().dropped(Drop.OTHER_SERVER);
                return;
            }
            Optional<Inet4Address> requested = options.requestedIpAddress()
                    .or(() -> Optional.of(client.request().ciaddr()).filter(a -> !Addresses.isAny(a)));
            if (requested.isEmpty()) {
                nak(client, "the REQUEST names no address", outbox);
                return;
            }
            acknowledge(client, requested.get(), outbox);
            return;
        }
        boolean initReboot = Addresses.isAny(client.request().ciaddr());
        Optional<Inet4Address> requested = initReboot ? options.requestedIpAddress() : Optional.of(client.request().ciaddr());
        if (requested.isEmpty()) {
            nak(client, "the REQUEST names no address", outbox);
            return;
        }
        if (client.subnet().isEmpty() || !client.subnet().get().contains(requested.get())) {
            if (topology.settings().authoritative() && client.subnet().isPresent()) {
                nak(client, requested.get().getHostAddress() + " is not on subnet " + client.subnet().get().cidr(), outbox);
            } else {
                services.statistics().dropped(client.subnet().isEmpty() ? Drop.NO_SUBNET : Drop.IGNORED);
            }
            return;
        }
        if (!topology.settings().authoritative() && client.fixedAddress().isEmpty()
                && book.bindingOf(client.id()).isEmpty()) {
            services.statistics().dropped(Drop.IGNORED);
            return;
        }
        acknowledge(client, requested.get(), outbox);
    }

    /** ACK {@code address} once the lease is durable, or NAK it when it is not the client's to have. */
    private void acknowledge(DhcpClient client, Inet4Address address, Outbox outbox) {
        if (client.subnet().isEmpty()) {
            noSubnet(client);
            return;
        }
        Optional<Inet4Address> fixed = client.fixedAddress();
        if (fixed.isPresent()) {
            checkAgreement(client, services.clock().get());
            if (!fixed.get().equals(address)) {
                nak(client, "node " + client.node().get().name() + " has the fixed address " + fixed.get().getHostAddress(),
                        outbox);
                return;
            }
            DhcpMessage ack = leaseReply(client, DhcpMessageType.ACK, address, leaseTime(client)).build();
            replies.send(client, ack, outbox);
            replies.event(client, BootEvent.Kind.ACK, () -> address.getHostAddress() + " (fixed)" + Replies.bootNote(ack), address);
            return;
        }
        Instant now = services.clock().get();
        Duration leaseTime = leaseTime(client);
        Instant expires = now.plus(leaseTime);
        Optional<Binding> previous = book.bindingOf(client.id());
        Optional<LeaseBook.Refusal> refusal = book.reserve(client.subnet().get(), client.id(), client.mac(), address,
                notReservedFor(client), expires);
        if (refusal.isPresent()) {
            nak(client, address.getHostAddress() + (refusal.get() == LeaseBook.Refusal.TAKEN
                    ? " belongs to another client" : " is not in the pool of subnet " + client.subnet().get().name()), outbox);
            return;
        }
        Lease lease = Lease.of(client.id(), client.mac(), address, now, expires, Lease.State.BOUND);
        DhcpMessage ack = leaseReply(client, DhcpMessageType.ACK, address, leaseTime).build();
        CompletionStage<Lease> durable;
        long commitStarted = System.nanoTime();
        try {
            // Completed on the loop itself: the store hands a group of durable leases over in one
            // task, and their ACKs leave together, with no thread in between.
            durable = store().commit(lease, services.loop());
        } catch (RuntimeException e) {
            durable = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        durable.whenComplete((written, failure) -> {
            if (failure != null) {
                book.abandon(client.id(), Addresses.toInt(address), previous);
                if (takenElsewhere(failure)) {
                    // Another server leased it first (the shared store refused ours): the client
                    // starts over with a DISCOVER, and gets an address no one holds.
                    takenElsewhere.put(Addresses.toInt(address), services.clock().get().plus(topology.settings().offerHold()));
                    nak(client, address.getHostAddress() + " belongs to another client", outbox);
                    return;
                }
                services.statistics().dropped(Drop.LEASE_WRITE_FAILED);
                throttle.error(LOG, "lease-store", "Lease of {} to {} could not be made durable, so it was not"
                        + " acknowledged: {}", address.getHostAddress(), client.mac(), why(failure));
                return;
            }
            services.statistics().leaseCommitted(Duration.ofNanos(System.nanoTime() - commitStarted));
            // A store may record less than asked (PostgreSQL unreachable: a renewal only up to the
            // expiry it already holds); the client is told what was recorded, never more.
            Lease recorded = written != null && written.expires().isBefore(expires) ? written : lease;
            if (!book.bound(recorded)) {
                services.statistics().dropped(Drop.SUPERSEDED);
                return;
            }
            DhcpMessage sent = recorded == lease ? ack : leaseReply(client, DhcpMessageType.ACK, address,
                    Duration.between(now, recorded.expires())).build();
            replies.send(client, sent, outbox);
            replies.event(client, BootEvent.Kind.ACK, () -> address.getHostAddress() + Replies.bootNote(sent), address);
        });
    }

    /** With peers, whether the shared store shows a server that sees this node otherwise. */
    private void checkAgreement(DhcpClient client, Instant now) {
        if (!topology.settings().peers().alone()) {
            agreement.check(client, store(), now);
        }
    }

    private static boolean takenElsewhere(Throwable failure) {
        return cause(failure) instanceof AddressTakenException;
    }

    /** The store's own words for a failed commit, without the wrapping of the future that carried it. */
    private static String why(Throwable failure) {
        Throwable cause = cause(failure);
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    private void nak(DhcpClient client, String why, Outbox outbox) {
        DhcpMessage.Builder nak = DhcpMessage.replyTo(client.request())
                .options(o -> {
                    o.messageType(DhcpMessageType.NAK).put(DhcpOptions.MESSAGE, why.getBytes(StandardCharsets.US_ASCII));
                    topology.serverId(client.subnet()).ifPresent(o::serverIdentifier);
                });
        if (client.request().isRelayed()) {
            nak.broadcast(true);
        }
        replies.send(client, nak.build(), outbox);
        replies.event(client, BootEvent.Kind.NAK, why);
    }

    private void decline(DhcpClient client) {
        Optional<Inet4Address> address = client.request().options().requestedIpAddress();
        if (address.isEmpty()) {
            services.statistics().dropped(Drop.IGNORED);
            return;
        }
        Instant now = services.clock().get();
        Instant until = now.plus(topology.settings().declineHold());
        String declined = address.get().getHostAddress();
        switch (book.decline(client.id(), client.mac(), Addresses.toInt(address.get()), until)) {
            case NOT_ACKNOWLEDGED -> {
                services.statistics().dropped(Drop.DECLINE_REFUSED);
                throttle.info(LOG, "decline-refused", "Ignored a DHCPDECLINE of {} from {}: that address is not"
                        + " leased to it (logged once a minute; dhcp:stats counts them all)", declined, client.mac());
            }
            case RELEASED -> {
                services.statistics().dropped(Drop.DECLINE_REFUSED);
                throttle.warn(LOG, "decline-limit:" + client.mac(), "{} declined {} while {} addresses it declined"
                        + " are still kept out of the pool: {} is free again instead, and not kept from others on"
                        + " its word. dhcp:leases -s declined lists them, dhcp:clear-declines frees them", client.mac(),
                        declined, LeaseBook.MAX_DECLINED_PER_CLIENT, declined);
                commitQuietly(Lease.of(client.id(), client.mac(), address.get(), now, now, Lease.State.RELEASED));
                replies.event(client, BootEvent.Kind.DECLINE, declined + " given back (quarantine limit reached)");
            }
            case QUARANTINED -> {
                throttle.warn(LOG, "decline:" + client.mac(), "{} declined {}: another host on the network already"
                        + " uses it. Not handing it out until {} (dhcp:clear-declines frees it sooner)", client.mac(),
                        declined, until);
                commitQuietly(Lease.of(client.id(), client.mac(), address.get(), now, until, Lease.State.DECLINED));
                replies.event(client, BootEvent.Kind.DECLINE, declined + " in use on the wire");
            }
        }
    }

    /**
     * Ends the quarantine of {@code address}, or of every declined address, and records that in
     * the lease store so that a restart does not bring it back. Returns the quarantines ended.
     */
    List<Binding> clearDeclines(Optional<Inet4Address> address) {
        List<Binding> cleared = book.clearDeclines(address.map(Addresses::toInt));
        Instant now = services.clock().get();
        for (Binding binding : cleared) {
            commitQuietly(Lease.of(binding.clientId(), binding.hardwareAddress(), Addresses.fromInt(binding.address()),
                    now, now, Lease.State.RELEASED));
        }
        return cleared;
    }

    private void release(DhcpClient client) {
        Inet4Address address = client.request().ciaddr();
        if (Addresses.isAny(address) || !book.release(client.id(), Addresses.toInt(address))) {
            services.statistics().dropped(Drop.IGNORED);
            return;
        }
        Instant now = services.clock().get();
        commitQuietly(Lease.of(client.id(), client.mac(), address, now, now, Lease.State.RELEASED));
        replies.event(client, BootEvent.Kind.RELEASE, address.getHostAddress());
    }

    /** Configuration for a client that has an address, on one of our subnets (RFC 2131 3.4). */
    private void inform(DhcpClient client, Outbox outbox) {
        Inet4Address configured = client.request().ciaddr();
        if (client.subnet().filter(s -> s.contains(configured)).isEmpty()) {
            services.statistics().dropped(Drop.NO_SUBNET);
            return;
        }
        replies.event(client, BootEvent.Kind.INFORM, client::describe);
        DhcpMessage.Builder ack = DhcpMessage.replyTo(client.request()).ciaddr(client.request().ciaddr());
        ack.options(o -> {
            o.messageType(DhcpMessageType.ACK);
            topology.serverId(client.subnet()).ifPresent(o::serverIdentifier);
            client.subnet().ifPresent(s -> networkOptions(o, s, client));
        });
        answers.add(client, ack, false);
        replies.send(client, ack.build(), outbox);
    }

    /** RELEASE and DECLINE need no answer; losing one in a crash only keeps an address held longer. */
    private void commitQuietly(Lease lease) {
        try {
            store().commit(lease).whenComplete((l, failure) -> {
                if (failure != null) {
                    notRecorded(lease, failure);
                }
            });
        } catch (RuntimeException e) {
            notRecorded(lease, e);
        }
    }

    private void notRecorded(Lease lease, Throwable failure) {
        throttle.warn(LOG, "lease-record", "Could not record {} of {}: {} (logged once a minute)", lease.state(),
                lease.address().getHostAddress(), failure.toString());
    }

    private DhcpMessage.Builder leaseReply(DhcpClient client, DhcpMessageType type, Inet4Address address, Duration leaseTime) {
        Subnet subnet = client.subnet().orElseThrow();
        DhcpMessage.Builder reply = DhcpMessage.replyTo(client.request()).yiaddr(address);
        long seconds = leaseTime.toSeconds();
        reply.options(o -> {
            o.messageType(type);
            topology.serverId(client.subnet()).ifPresent(o::serverIdentifier);
            o.leaseTime(seconds).renewalTime(seconds / 2).rebindingTime(seconds * 7 / 8);
            networkOptions(o, subnet, client);
        });
        answers.add(client, reply, false);
        return reply;
    }

    /** Mask always; the rest only when the client asked for it, or asked for nothing in particular. */
    static void networkOptions(DhcpOptions.Builder o, Subnet subnet, DhcpClient client) {
        o.subnetMask(subnet.subnetMask());
        if (!subnet.routers().isEmpty() && client.asked(DhcpOptions.ROUTER)) {
            o.routers(subnet.routers());
        }
        if (!subnet.dnsServers().isEmpty() && client.asked(DhcpOptions.DOMAIN_NAME_SERVER)) {
            o.domainNameServers(subnet.dnsServers());
        }
        if (subnet.domainName().isPresent() && client.asked(DhcpOptions.DOMAIN_NAME)) {
            o.domainName(subnet.domainName().get());
        }
        if (client.node().isPresent() && client.asked(DhcpOptions.HOST_NAME)) {
            o.hostName(client.node().get().name());
        }
        if (client.asked(BROADCAST_ADDRESS)) {
            o.put(BROADCAST_ADDRESS, subnet.broadcastAddress().getAddress());
        }
    }

    private static final int BROADCAST_ADDRESS = 28;

    private Duration leaseTime(DhcpClient client) {
        Duration configured = client.subnet().flatMap(Subnet::leaseTime).orElse(topology.settings().leaseTime());
        Duration max = topology.settings().maxLeaseTime();
        OptionalLong asked = client.request().options().leaseTime();
        if (asked.isEmpty() || asked.getAsLong() < 60) {
            return configured;
        }
        return asked.getAsLong() > max.toSeconds() ? max : Duration.ofSeconds(asked.getAsLong());
    }

    /** The lease store; {@link #handle} lets no request that needs one get this far without it. */
    private LeaseStore store() {
        return services.leases().orElseThrow(() -> new IllegalStateException("server mode without a lease store"));
    }

    // ---------------------------------------------------------------- reporting

    /** For {@code dhcp:explain}: the boot file choice for a client as if it asked now, rule by rule. */
    List<String> explain(HardwareAddress mac, Optional<ClientArchitecture> architecture, Optional<String> userClass) {
        Optional<Node> node = services.nodes().get().flatMap(directory -> directory.byHardwareAddress(mac));
        BootContext context = BootContext.of(BootProtocol.DHCP, new InetSocketAddress(Addresses.ANY, 68))
                .withHardwareAddress(mac);
        if (node.isPresent()) {
            context = context.withNode(node.get());
        }
        Optional<ClientArchitecture> asked = architecture.or(() -> node.flatMap(Node::architecture));
        if (asked.isPresent()) {
            context = context.withArchitecture(asked.get());
        }
        if (userClass.isPresent()) {
            context = context.withUserClass(userClass.get());
        }
        Optional<Subnet> subnet = node.flatMap(Node::address).filter(Inet4Address.class::isInstance)
                .map(Inet4Address.class::cast).flatMap(topology::subnetOf).or(topology::local);
        List<String> lines = new java.util.ArrayList<>();
        lines.add("subnet: " + subnet.map(s -> s.name() + " (" + s.cidr() + ")").orElse("none (no subnet holds its"
                + " fixed address, and none is attached to the boot network)"));
        if (node.isEmpty() && !topology.allowsUnknown(subnet)) {
            lines.add("not in the node inventory and unknownClients = deny: it gets no answer at all");
        }
        Optional<String> file = BootSelector.choose(context, services.loaders().get(), topology.settings(), subnet,
                line -> lines.add(line.get()));
        Optional<Inet4Address> nextServer = topology.nextServer(subnet);
        if (file.isPresent() && asked.map(ClientArchitecture::isHttpBoot).orElse(false)) {
            // What the HTTP boot client is really told: a URL, or nothing.
            Optional<String> url = answers.httpUrl(file.get(), nextServer);
            lines.add(url.map(u -> "=> boot file " + u).orElseGet(() -> "=> no boot file: '" + file.get()
                    + "' is a path, and " + answers.whyNoUrl()));
            return lines;
        }
        lines.add(file.map(f -> "=> boot file " + f + nextServer.map(a -> " from " + a.getHostAddress()).orElse(""))
                .orElse("=> no boot file: the client is told none and may take one from a ProxyDHCP"));
        return lines;
    }

    private void noSubnet(DhcpClient client) {
        services.statistics().dropped(Drop.NO_SUBNET);
        // One key for every relay, not one per giaddr: a client sets giaddr itself, and a key per
        // value would let it buy a log line per address it makes up.
        throttle.warn(LOG, client.request().isRelayed() ? "no-subnet:relayed" : "no-subnet:local",
                "No subnet configured for {} from {}: add an org.diskless.dhcp.subnet configuration whose network"
                        + " contains {}", client.mac(), client.request().isRelayed() ? "relay " + client.request().giaddr()
                        .getHostAddress() : "the local network",
                client.request().isRelayed() ? client.request().giaddr().getHostAddress() : "this host's address");
    }
}

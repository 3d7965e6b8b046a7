package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.boot.MulticastTftp;
import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOp;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.dhcp.codec.PxeClientClass;
import org.diskless.dhcp.codec.PxeVendorOptions;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers DHCP requests (RFC 2131) and PXE boot requests: decides the address, the options and
 * the boot answer for each client, and where the reply goes. All of it runs on the DHCP event
 * loop, one message at a time, so decisions about addresses never race; the only work that
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
     */
    record Services(Supplier<Optional<NodeDirectory>> nodes, Supplier<List<RankedLoader>> loaders,
                    Supplier<Optional<MulticastTftp>> mtftp, LeaseStore leases, java.util.function.Consumer<BootEvent> events,
                    BooleanSupplier eventsWanted, Supplier<Instant> clock, Executor loop, DhcpStatistics statistics) {
    }

    /** A request as it arrived: the message, who sent it, and whether it came to the PXE port 4011. */
    record Arrival(DhcpMessage message, InetSocketAddress sender, boolean bootServerPort) {
    }

    /** Vendor boot server types for menu entries (PXE 2.1 table 2-4: 32768-65534 are vendor types). */
    static final int MENU_TYPE_BASE = 32768;
    private static final int LOCAL_BOOT_TYPE = 0;
    static final String DEFAULT_PROMPT = "Press F8 for boot menu";

    private final Services services;
    private final LeaseBook book = new LeaseBook();
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private Topology topology;

    DhcpProcessor(Topology topology, Services services) {
        this.topology = topology;
        this.services = services;
        book.subnets(topology.subnets());
    }

    /** Rebuilds holds from the lease store; called once before the first request. */
    void restore() {
        book.restore(services.leases().leases(), services.clock().get());
    }

    void topology(Topology next) {
        this.topology = next;
        book.subnets(next.subnets());
    }

    Topology topology() {
        return topology;
    }

    LeaseBook book() {
        return book;
    }

    void expire() {
        book.expire(services.clock().get());
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
            stats.dropped(Drop.BOOTP);
            return;
        }
        if (!type.get().fromClient()) {
            stats.dropped(Drop.NOT_A_REQUEST);
            return;
        }
        stats.received(type.get());
        Client client = identify(request, mac.get(), arrival);
        if (arrival.bootServerPort()) {
            bootServer(client, type.get(), outbox);
            return;
        }
        if (topology.settings().mode() == DhcpMode.PROXY) {
            proxy(client, type.get(), outbox);
            return;
        }
        if (client.node.isEmpty() && !topology.allowsUnknown(client.subnet)) {
            event(client, kindOf(type.get()), "refused: unknown client (unknownClients = deny)");
            stats.dropped(Drop.UNKNOWN_CLIENT);
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

    /** One request with everything known about its sender. */
    private record Client(DhcpMessage request, InetSocketAddress sender, HardwareAddress mac, String id,
                          Optional<Node> node, Optional<Subnet> subnet, BootContext context, boolean pxe) {
    }

    private Client identify(DhcpMessage request, HardwareAddress mac, Arrival arrival) {
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
        BootContext context = BootContext.of(
                topology.settings().mode() == DhcpMode.PROXY || arrival.bootServerPort()
                        ? BootProtocol.PROXY_DHCP : BootProtocol.DHCP,
                arrival.sender()).withHardwareAddress(mac);
        if (node.isPresent()) {
            context = context.withNode(node.get());
        }
        if (architecture.isPresent()) {
            context = context.withArchitecture(architecture.get());
        }
        List<String> userClasses = options.userClasses();
        if (!userClasses.isEmpty()) {
            context = context.withUserClass(userClasses.contains(BootSelector.IPXE_USER_CLASS)
                    ? BootSelector.IPXE_USER_CLASS : userClasses.get(0));
        }
        boolean pxe = pxeClass.isPresent() || options.contains(DhcpOptions.CLIENT_ARCHITECTURE);
        return new Client(request, arrival.sender(), mac, clientId(request, mac), node, subnetFor(request), context, pxe);
    }

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":");

    /** Option 61 when the client sends one, else its hardware type and address (RFC 2132 9.14). */
    static String clientId(DhcpMessage request, HardwareAddress mac) {
        Optional<byte[]> identifier = request.options().clientIdentifier();
        if (identifier.isPresent()) {
            return COLON_HEX.formatHex(identifier.get());
        }
        byte[] address = mac.toByteArray();
        StringBuilder id = new StringBuilder(3 + 3 * address.length);
        COLON_HEX.toHexDigits(id, (byte) mac.type()).append(':');
        return COLON_HEX.formatHex(id, address).toString();
    }

    /**
     * Relayed requests belong to the relay's subnet (giaddr; option 118 when the relay names
     * another); a renewing client to the subnet of its address; anything else to the subnet this
     * host is attached to.
     */
    private Optional<Subnet> subnetFor(DhcpMessage request) {
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
        return topology.local();
    }

    private static Inet4Address toAddress(byte[] four) {
        return Addresses.fromInt((four[0] & 0xFF) << 24 | (four[1] & 0xFF) << 16 | (four[2] & 0xFF) << 8 | four[3] & 0xFF);
    }

    /** The node's fixed address, when it has one on the subnet the request came from. */
    private static Optional<Inet4Address> fixedAddress(Client client) {
        if (client.node.isEmpty() || client.subnet.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetAddress> address = client.node.get().address();
        return address.isPresent() && address.get() instanceof Inet4Address fixed && client.subnet.get().contains(fixed)
                ? Optional.of(fixed) : Optional.empty();
    }

    /** Addresses that are some other node's fixed address are never handed out dynamically. */
    private IntPredicate notReservedFor(Client client) {
        Optional<NodeDirectory> directory = services.nodes().get();
        if (directory.isEmpty()) {
            return a -> true;
        }
        return address -> directory.get().byAddress(Addresses.fromInt(address))
                .map(owner -> owner.hardwareAddress().equals(client.mac)).orElse(true);
    }

    // ---------------------------------------------------------------- server mode

    private void discover(Client client, Outbox outbox) {
        event(client, BootEvent.Kind.DISCOVER, () -> describe(client));
        if (client.subnet.isEmpty()) {
            noSubnet(client);
            return;
        }
        Instant now = services.clock().get();
        Optional<Inet4Address> address = fixedAddress(client);
        if (address.isEmpty()) {
            Optional<Inet4Address> previous = services.leases().byClientId(client.id).map(Lease::address);
            address = book.offer(client.subnet.get(), client.id, client.mac,
                    client.request.options().requestedIpAddress(), previous, notReservedFor(client), now,
                    topology.settings().offerHold());
        }
        if (address.isEmpty()) {
            services.statistics().dropped(Drop.POOL_EXHAUSTED);
            throttle.warn(LOG, "exhausted:" + client.subnet.get().name(), "No free address in subnet {} for {}:"
                    + " every address in {} is leased, offered or declined", client.subnet.get().name(), client.mac,
                    client.subnet.get().ranges());
            return;
        }
        DhcpMessage offer = leaseReply(client, DhcpMessageType.OFFER, address.get(), leaseTime(client)).build();
        send(client, offer, outbox);
        Inet4Address offered = address.get();
        event(client, BootEvent.Kind.OFFER, () -> offered.getHostAddress() + bootNote(offer), offered);
    }

    private void request(Client client, Outbox outbox) {
        DhcpOptions options = client.request.options();
        Optional<Inet4Address> serverId = options.serverIdentifier();
        Optional<Inet4Address> ours = topology.serverId(client.subnet);
        event(client, BootEvent.Kind.REQUEST, () -> describe(client));
        if (serverId.isPresent()) {
            if (ours.isEmpty() || !serverId.get().equals(ours.get())) {
                book.withdrawOffer(client.id);
                services.statistics().dropped(Drop.OTHER_SERVER);
                return;
            }
            Optional<Inet4Address> requested = options.requestedIpAddress()
                    .or(() -> Optional.of(client.request.ciaddr()).filter(a -> !Addresses.isAny(a)));
            if (requested.isEmpty()) {
                nak(client, "the REQUEST names no address", outbox);
                return;
            }
            acknowledge(client, requested.get(), outbox);
            return;
        }
        boolean initReboot = Addresses.isAny(client.request.ciaddr());
        Optional<Inet4Address> requested = initReboot ? options.requestedIpAddress() : Optional.of(client.request.ciaddr());
        if (requested.isEmpty()) {
            nak(client, "the REQUEST names no address", outbox);
            return;
        }
        if (client.subnet.isEmpty() || !client.subnet.get().contains(requested.get())) {
            if (topology.settings().authoritative() && client.subnet.isPresent()) {
                nak(client, requested.get().getHostAddress() + " is not on subnet " + client.subnet.get().cidr(), outbox);
            } else {
                services.statistics().dropped(client.subnet.isEmpty() ? Drop.NO_SUBNET : Drop.IGNORED);
            }
            return;
        }
        if (!topology.settings().authoritative() && fixedAddress(client).isEmpty()
                && book.bindingOf(client.id).isEmpty()) {
            services.statistics().dropped(Drop.IGNORED);
            return;
        }
        acknowledge(client, requested.get(), outbox);
    }

    /** ACK {@code address} once the lease is durable, or NAK it when it is not the client's to have. */
    private void acknowledge(Client client, Inet4Address address, Outbox outbox) {
        if (client.subnet.isEmpty()) {
            noSubnet(client);
            return;
        }
        Optional<Inet4Address> fixed = fixedAddress(client);
        if (fixed.isPresent()) {
            if (!fixed.get().equals(address)) {
                nak(client, "node " + client.node.get().name() + " has the fixed address " + fixed.get().getHostAddress(),
                        outbox);
                return;
            }
            DhcpMessage ack = leaseReply(client, DhcpMessageType.ACK, address, leaseTime(client)).build();
            send(client, ack, outbox);
            event(client, BootEvent.Kind.ACK, () -> address.getHostAddress() + " (fixed)" + bootNote(ack), address);
            return;
        }
        Instant now = services.clock().get();
        Duration leaseTime = leaseTime(client);
        Instant expires = now.plus(leaseTime);
        Optional<Binding> previous = book.bindingOf(client.id);
        Optional<LeaseBook.Refusal> refusal = book.reserve(client.subnet.get(), client.id, client.mac, address,
                notReservedFor(client), expires);
        if (refusal.isPresent()) {
            nak(client, address.getHostAddress() + (refusal.get() == LeaseBook.Refusal.TAKEN
                    ? " belongs to another client" : " is not in the pool of subnet " + client.subnet.get().name()), outbox);
            return;
        }
        Lease lease = Lease.of(client.id, client.mac, address, now, expires, Lease.State.BOUND);
        DhcpMessage ack = leaseReply(client, DhcpMessageType.ACK, address, leaseTime).build();
        CompletionStage<Lease> durable;
        try {
            durable = services.leases().commit(lease);
        } catch (RuntimeException e) {
            durable = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        durable.whenComplete((written, failure) -> services.loop().execute(() -> {
            if (failure != null) {
                book.abandon(client.id, Addresses.toInt(address), previous);
                services.statistics().dropped(Drop.LEASE_WRITE_FAILED);
                throttle.error(LOG, "lease-store", "Lease of {} to {} could not be made durable, so it was not"
                        + " acknowledged: {}", address.getHostAddress(), client.mac, failure.toString());
                return;
            }
            if (!book.bound(lease)) {
                services.statistics().dropped(Drop.SUPERSEDED);
                return;
            }
            send(client, ack, outbox);
            event(client, BootEvent.Kind.ACK, () -> address.getHostAddress() + bootNote(ack), address);
        }));
    }

    private void nak(Client client, String why, Outbox outbox) {
        DhcpMessage.Builder nak = DhcpMessage.replyTo(client.request)
                .options(o -> {
                    o.messageType(DhcpMessageType.NAK).put(DhcpOptions.MESSAGE, why.getBytes(StandardCharsets.US_ASCII));
                    topology.serverId(client.subnet).ifPresent(o::serverIdentifier);
                });
        if (client.request.isRelayed()) {
            nak.broadcast(true);
        }
        send(client, nak.build(), outbox);
        event(client, BootEvent.Kind.NAK, why);
    }

    private void decline(Client client) {
        Optional<Inet4Address> address = client.request.options().requestedIpAddress();
        if (address.isEmpty()) {
            services.statistics().dropped(Drop.IGNORED);
            return;
        }
        Instant now = services.clock().get();
        Instant until = now.plus(topology.settings().declineHold());
        if (!book.decline(client.id, client.mac, Addresses.toInt(address.get()), until)) {
            services.statistics().dropped(Drop.IGNORED);
            return;
        }
        LOG.warn("{} declined {}: another host on the network already uses it. Not handing it out until {}",
                client.mac, address.get().getHostAddress(), until);
        commitQuietly(Lease.of(client.id, client.mac, address.get(), now, until, Lease.State.DECLINED));
        event(client, BootEvent.Kind.DECLINE, address.get().getHostAddress() + " in use on the wire");
    }

    private void release(Client client) {
        Inet4Address address = client.request.ciaddr();
        if (Addresses.isAny(address) || !book.release(client.id, Addresses.toInt(address))) {
            services.statistics().dropped(Drop.IGNORED);
            return;
        }
        Instant now = services.clock().get();
        commitQuietly(Lease.of(client.id, client.mac, address, now, now, Lease.State.RELEASED));
        event(client, BootEvent.Kind.RELEASE, address.getHostAddress());
    }

    private void inform(Client client, Outbox outbox) {
        event(client, BootEvent.Kind.INFORM, () -> describe(client));
        DhcpMessage.Builder ack = DhcpMessage.replyTo(client.request).ciaddr(client.request.ciaddr());
        ack.options(o -> {
            o.messageType(DhcpMessageType.ACK);
            topology.serverId(client.subnet).ifPresent(o::serverIdentifier);
            client.subnet.ifPresent(s -> networkOptions(o, s, client));
        });
        bootAnswer(client, ack, false);
        send(client, ack.build(), outbox);
    }

    /** RELEASE and DECLINE need no answer; losing one in a crash only keeps an address held longer. */
    private void commitQuietly(Lease lease) {
        try {
            services.leases().commit(lease).whenComplete((l, failure) -> {
                if (failure != null) {
                    LOG.warn("Could not record {} of {}: {}", lease.state(), lease.address().getHostAddress(),
                            failure.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not record {} of {}: {}", lease.state(), lease.address().getHostAddress(), e.toString());
        }
    }

    private DhcpMessage.Builder leaseReply(Client client, DhcpMessageType type, Inet4Address address, Duration leaseTime) {
        Subnet subnet = client.subnet.orElseThrow();
        DhcpMessage.Builder reply = DhcpMessage.replyTo(client.request).yiaddr(address);
        long seconds = leaseTime.toSeconds();
        reply.options(o -> {
            o.messageType(type);
            topology.serverId(client.subnet).ifPresent(o::serverIdentifier);
            o.leaseTime(seconds).renewalTime(seconds / 2).rebindingTime(seconds * 7 / 8);
            networkOptions(o, subnet, client);
        });
        bootAnswer(client, reply, false);
        return reply;
    }

    /** Mask always; the rest only when the client asked for it, or asked for nothing in particular. */
    private void networkOptions(DhcpOptions.Builder o, Subnet subnet, Client client) {
        List<Integer> wanted = client.request.options().parameterRequestList();
        o.subnetMask(subnet.subnetMask());
        if (!subnet.routers().isEmpty() && asked(wanted, DhcpOptions.ROUTER)) {
            o.routers(subnet.routers());
        }
        if (!subnet.dnsServers().isEmpty() && asked(wanted, DhcpOptions.DOMAIN_NAME_SERVER)) {
            o.domainNameServers(subnet.dnsServers());
        }
        if (subnet.domainName().isPresent() && asked(wanted, DhcpOptions.DOMAIN_NAME)) {
            o.domainName(subnet.domainName().get());
        }
        if (client.node.isPresent() && asked(wanted, DhcpOptions.HOST_NAME)) {
            o.hostName(client.node.get().name());
        }
        if (asked(wanted, BROADCAST_ADDRESS)) {
            o.put(BROADCAST_ADDRESS, subnet.broadcastAddress().getAddress());
        }
    }

    private static final int BROADCAST_ADDRESS = 28;

    private static boolean asked(List<Integer> wanted, int code) {
        return wanted.isEmpty() || wanted.contains(code);
    }

    private Duration leaseTime(Client client) {
        Duration configured = client.subnet.flatMap(Subnet::leaseTime).orElse(topology.settings().leaseTime());
        Duration max = topology.settings().maxLeaseTime();
        OptionalLong asked = client.request.options().leaseTime();
        if (asked.isEmpty() || asked.getAsLong() < 60) {
            return configured;
        }
        return asked.getAsLong() > max.toSeconds() ? max : Duration.ofSeconds(asked.getAsLong());
    }

    // ---------------------------------------------------------------- PXE

    /**
     * Adds what a booting client needs: next-server, the boot file, and for PXE clients option 60
     * and, for BIOS ROMs, option 43. Returns whether a boot file was named.
     */
    private boolean bootAnswer(Client client, DhcpMessage.Builder reply, boolean proxy) {
        Optional<Inet4Address> nextServer = topology.nextServer(client.subnet);
        nextServer.ifPresent(reply::siaddr);
        if (!client.pxe && client.node.map(n -> !n.bootFiles().containsKey(BootRole.LOADER)).orElse(true)) {
            return false;
        }
        Optional<String> file = BootSelector.choose(client.context, services.loaders().get(), topology.settings());
        if (file.isEmpty() && (topology.settings().pxeMenu().isEmpty() || !isBios(client))) {
            // Nothing to boot: a plain DHCP answer, without "PXEClient", leaves the client free to
            // take its boot answer from a ProxyDHCP on the same network.
            return false;
        }
        Optional<PxeClientClass> pxeClass = client.request.options().pxeClientClass();
        boolean httpClient = pxeClass.map(PxeClientClass::isHttpClient).orElse(false)
                || client.context.architecture().map(ClientArchitecture::isHttpBoot).orElse(false);
        List<Integer> wanted = client.request.options().parameterRequestList();
        reply.options(o -> {
            if (pxeClass.isPresent() || proxy) {
                o.vendorClassIdentifier(httpClient ? PxeClientClass.HTTP_CLIENT : PxeClientClass.PXE_CLIENT);
            }
            if (file.isPresent()) {
                if (file.get().length() >= DhcpMessage.FILE_SIZE || asked(wanted, DhcpOptions.BOOTFILE_NAME)) {
                    o.bootfileName(file.get());
                }
                if (nextServer.isPresent() && asked(wanted, DhcpOptions.TFTP_SERVER_NAME) && !httpClient) {
                    o.tftpServerName(nextServer.get().getHostAddress());
                }
            }
            if (pxeClass.isPresent() && !httpClient && isBios(client)) {
                o.vendorSpecific(pxeOptions(client, file));
            }
        });
        if (file.isPresent() && file.get().length() < DhcpMessage.FILE_SIZE) {
            reply.bootFileName(file.get());
        }
        return file.isPresent();
    }

    private static boolean isBios(Client client) {
        return client.context.architecture().map(a -> a.code() == ClientArchitecture.BIOS.code()).orElse(true);
    }

    /**
     * Option 43 for a BIOS PXE ROM: with a menu, the menu, prompt and our address as the boot
     * server of each entry; without one, "boot the file named in this offer". The MTFTP
     * sub-options go in only when an MTFTP service serves that file.
     */
    private PxeVendorOptions pxeOptions(Client client, Optional<String> file) {
        PxeVendorOptions.Builder pxe = PxeVendorOptions.builder();
        List<DhcpSettings.MenuEntry> menu = topology.settings().pxeMenu();
        Optional<MulticastTftp> mtftp = services.mtftp().get();
        if (mtftp.isPresent() && file.isPresent()) {
            Optional<MulticastTftp.Channel> channel;
            try {
                channel = mtftp.get().channelFor(file.get(), client.context);
            } catch (RuntimeException e) {
                // Multicast is only a faster way to the same file: a failing service costs no boot.
                throttle.warn(LOG, "mtftp", "The MTFTP service failed to name a channel for {}; offering it by"
                        + " unicast TFTP: {}", file.get(), e.toString());
                channel = Optional.empty();
            }
            channel.ifPresent(c ->
                    pxe.mtftp(c.group(), c.clientPort(), c.serverPort(), c.openTimeoutSeconds(), c.reopenDelaySeconds()));
        }
        if (menu.isEmpty()) {
            pxe.discoveryControl(PxeVendorOptions.DISABLE_BROADCAST | PxeVendorOptions.DISABLE_MULTICAST
                    | PxeVendorOptions.DOWNLOAD_BOOT_FILE);
            return pxe.build();
        }
        Inet4Address us = topology.serverId(client.subnet).orElse(Addresses.ANY);
        List<PxeVendorOptions.MenuItem> items = new java.util.ArrayList<>();
        List<PxeVendorOptions.BootServer> servers = new java.util.ArrayList<>();
        for (int i = 0; i < menu.size(); i++) {
            int type = menu.get(i).isLocalBoot() ? LOCAL_BOOT_TYPE : MENU_TYPE_BASE + i;
            items.add(new PxeVendorOptions.MenuItem(type, menu.get(i).description()));
            if (type != LOCAL_BOOT_TYPE) {
                servers.add(new PxeVendorOptions.BootServer(type, List.of(us)));
            }
        }
        DhcpSettings.MenuPrompt prompt = topology.settings().pxePrompt()
                .orElse(new DhcpSettings.MenuPrompt(10, DEFAULT_PROMPT));
        pxe.discoveryControl(PxeVendorOptions.DISABLE_BROADCAST | PxeVendorOptions.DISABLE_MULTICAST)
                .bootServers(servers)
                .bootMenu(items)
                .menuPrompt(new PxeVendorOptions.MenuPrompt(prompt.timeoutSeconds(), prompt.text()));
        return pxe.build();
    }

    /** ProxyDHCP on port 67: a PXE client's DISCOVER gets the boot answer and no address. */
    private void proxy(Client client, DhcpMessageType type, Outbox outbox) {
        if (type != DhcpMessageType.DISCOVER) {
            services.statistics().dropped(Drop.IGNORED);
            return;
        }
        if (!client.request.options().pxeClientClass().isPresent()) {
            services.statistics().dropped(Drop.NOT_PXE);
            return;
        }
        event(client, BootEvent.Kind.DISCOVER, () -> describe(client));
        if (client.node.isEmpty() && !topology.allowsUnknown(client.subnet)) {
            services.statistics().dropped(Drop.UNKNOWN_CLIENT);
            return;
        }
        DhcpMessage.Builder offer = DhcpMessage.replyTo(client.request)
                .options(o -> {
                    o.messageType(DhcpMessageType.OFFER);
                    topology.serverId(client.subnet).ifPresent(o::serverIdentifier);
                });
        if (!bootAnswer(client, offer, true)) {
            services.statistics().dropped(Drop.NO_BOOT_FILE);
            return;
        }
        DhcpMessage built = offer.build();
        send(client, built, outbox);
        event(client, BootEvent.Kind.OFFER, () -> "boot answer only" + bootNote(built));
    }

    /**
     * Port 4011: the PXE boot server exchange. A client that got an offer without boot
     * instructions (UEFI behind another DHCP server) or picked a menu entry asks here, by unicast,
     * and gets the file in an ACK.
     */
    private void bootServer(Client client, DhcpMessageType type, Outbox outbox) {
        if (type != DhcpMessageType.REQUEST && type != DhcpMessageType.INFORM) {
            services.statistics().dropped(Drop.IGNORED);
            return;
        }
        if (!client.pxe) {
            services.statistics().dropped(Drop.NOT_PXE);
            return;
        }
        event(client, BootEvent.Kind.REQUEST, () -> "boot server request" + describe(client));
        if (client.node.isEmpty() && !topology.allowsUnknown(client.subnet)) {
            services.statistics().dropped(Drop.UNKNOWN_CLIENT);
            return;
        }
        DhcpMessage.Builder ack = DhcpMessage.replyTo(client.request)
                .ciaddr(client.request.ciaddr())
                .options(o -> {
                    o.messageType(DhcpMessageType.ACK);
                    topology.serverId(client.subnet).ifPresent(o::serverIdentifier);
                });
        Optional<PxeVendorOptions.BootItem> item = client.request.options().pxeVendorOptions()
                .flatMap(PxeVendorOptions::bootItem);
        if (item.isPresent() && item.get().type() != PxeVendorOptions.BOOTSTRAP_SERVER) {
            int index = item.get().type() - MENU_TYPE_BASE;
            List<DhcpSettings.MenuEntry> menu = topology.settings().pxeMenu();
            if (index < 0 || index >= menu.size() || menu.get(index).isLocalBoot()) {
                services.statistics().dropped(Drop.NO_BOOT_FILE);
                return;
            }
            String file = menu.get(index).bootFile();
            topology.nextServer(client.subnet).ifPresent(ack::siaddr);
            ack.bootFileName(file).options(o -> o.vendorClassIdentifier(PxeClientClass.PXE_CLIENT)
                    .vendorSpecific(PxeVendorOptions.builder().bootItem(item.get()).build()));
        } else if (!bootAnswer(client, ack, true)) {
            services.statistics().dropped(Drop.NO_BOOT_FILE);
            return;
        }
        DhcpMessage built = ack.build();
        outboxSend(built, client.sender, outbox);
        event(client, BootEvent.Kind.ACK, () -> "boot server" + bootNote(built));
    }

    // ---------------------------------------------------------------- sending

    /** RFC 2131 section 4.1: to the relay, to the client's address, or broadcast. */
    private void send(Client client, DhcpMessage reply, Outbox outbox) {
        DhcpMessage request = client.request;
        int clientPort = topology.settings().clientPort();
        InetSocketAddress recipient;
        if (request.isRelayed()) {
            recipient = new InetSocketAddress(request.giaddr(), topology.settings().bindAddress().getPort());
        } else if (reply.messageType().orElseThrow() == DhcpMessageType.NAK) {
            recipient = new InetSocketAddress(Addresses.BROADCAST, clientPort);
        } else if (!Addresses.isAny(request.ciaddr())) {
            recipient = new InetSocketAddress(request.ciaddr(), clientPort);
        } else {
            // A client without an address cannot answer ARP, and Java cannot add the ARP entry a
            // unicast to yiaddr needs, so replies to it are broadcast whatever its flag says.
            recipient = new InetSocketAddress(Addresses.BROADCAST, clientPort);
        }
        outboxSend(reply, recipient, outbox);
    }

    private void outboxSend(DhcpMessage reply, InetSocketAddress recipient, Outbox outbox) {
        try {
            outbox.send(reply, recipient);
            reply.messageType().ifPresent(services.statistics()::sent);
        } catch (RuntimeException e) {
            services.statistics().dropped(Drop.SEND_FAILED);
            throttle.error(LOG, "send", "Could not send {} to {}: {}", reply.messageType().orElse(null), recipient,
                    e.toString());
        }
    }

    // ---------------------------------------------------------------- reporting

    private void noSubnet(Client client) {
        services.statistics().dropped(Drop.NO_SUBNET);
        throttle.warn(LOG, "no-subnet:" + (client.request.isRelayed() ? client.request.giaddr() : "local"),
                "No subnet configured for {} from {}: add an org.diskless.dhcp.subnet configuration whose network"
                        + " contains {}", client.mac, client.request.isRelayed() ? "relay " + client.request.giaddr()
                        .getHostAddress() : "the local network",
                client.request.isRelayed() ? client.request.giaddr().getHostAddress() : "this host's address");
    }

    private static String describe(Client client) {
        StringBuilder text = new StringBuilder();
        client.context.architecture().ifPresent(a -> text.append(" arch ").append(a.code()));
        client.context.userClass().ifPresent(u -> text.append(" user class ").append(u));
        if (client.request.isRelayed()) {
            text.append(" via ").append(client.request.giaddr().getHostAddress());
        }
        return text.toString();
    }

    private static String bootNote(DhcpMessage reply) {
        String file = reply.options().bootfileName().orElse(reply.bootFileName());
        return file.isEmpty() ? "" : " file " + file;
    }

    private static BootEvent.Kind kindOf(DhcpMessageType type) {
        return switch (type) {
            case DISCOVER -> BootEvent.Kind.DISCOVER;
            case REQUEST -> BootEvent.Kind.REQUEST;
            case DECLINE -> BootEvent.Kind.DECLINE;
            case RELEASE -> BootEvent.Kind.RELEASE;
            default -> BootEvent.Kind.INFORM;
        };
    }

    private void event(Client client, BootEvent.Kind kind, String detail) {
        event(client, kind, () -> detail, client.request.ciaddr());
    }

    private void event(Client client, BootEvent.Kind kind, Supplier<String> detail) {
        event(client, kind, detail, client.request.ciaddr());
    }

    /**
     * {@code address} is what the node is known by afterwards: the TFTP requests that follow come
     * from it. The detail is only written out when someone takes the event.
     */
    private void event(Client client, BootEvent.Kind kind, Supplier<String> detail, Inet4Address address) {
        if (!services.eventsWanted().getAsBoolean()) {
            return;
        }
        services.events().accept(BootEvent.builder(services.clock().get(), client.context.protocol(), kind, address)
                .hardwareAddress(client.mac).detail(detail.get().trim()).build());
    }
}

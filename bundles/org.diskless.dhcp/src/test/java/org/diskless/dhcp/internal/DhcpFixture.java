package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.HttpBootEndpoint;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootLoader;
import org.diskless.api.boot.MulticastTftp;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

import io.netty.channel.Channel;

/**
 * A DHCP processor on the documentation network 192.0.2.0/24 (this host is 192.0.2.1 on eth0),
 * with every service it depends on replaced by one the test drives: the lease store's commits,
 * the clock and the event loop move only when the test says so.
 */
final class DhcpFixture {

    static final Instant START = Instant.parse("2025-03-01T08:00:00Z");
    static final Inet4Address SERVER = ip("192.0.2.1");
    static final Inet4Address BROADCAST = ip("255.255.255.255");
    static final InetSocketAddress UNCONFIGURED_CLIENT = new InetSocketAddress(ip("0.0.0.0"), 68);

    /** The boot network: ten dynamic addresses, 192.0.2.100-109. */
    static final Map<String, Object> LAB = Map.of("name", "lab", "network", "192.0.2.0/24",
            "range", "192.0.2.100-192.0.2.109", "routers", "192.0.2.254", "dnsServers", "192.0.2.53",
            "domainName", "lab.example");
    /** A network behind a relay at 198.18.20.1. */
    static final Map<String, Object> FAR = Map.of("name", "far", "network", "198.18.20.0/24",
            "range", "198.18.20.50-198.18.20.59", "routers", "198.18.20.1");

    /** What the processor handed to the channel, and where to. */
    record Sent(DhcpMessage reply, InetSocketAddress recipient) {
        DhcpMessageType type() {
            return reply.messageType().orElseThrow();
        }
    }

    final ManualClock clock = new ManualClock(START);
    final ManualLeaseStore leases = new ManualLeaseStore();
    final Inventory inventory = new Inventory();
    final List<RankedLoader> loaders = new ArrayList<>();
    private final List<ClientClass> classes = new ArrayList<>();
    final List<BootEvent> events = new ArrayList<>();
    final DhcpStatistics statistics = new DhcpStatistics();
    final QueuedLoop loop = new QueuedLoop();
    private final List<Sent> sent = new ArrayList<>();
    private final Topology topology;
    private Optional<MulticastTftp> mtftp = Optional.empty();
    private Optional<HttpBootEndpoint> http = Optional.empty();
    private Optional<NodeDirectory> directory = Optional.of(inventory);
    private DhcpProcessor processor;
    private boolean withLeaseStore = true;

    @SafeVarargs
    DhcpFixture(Map<String, ?> settings, Map<String, ?>... subnets) {
        try {
            List<Subnet> parsed = new ArrayList<>();
            for (Map<String, ?> subnet : subnets) {
                parsed.add(Subnet.parse("subnet" + parsed.size(), Config.of(subnet)));
            }
            topology = Topology.of(DhcpSettings.parse(Config.of(settings)), parsed,
                    List.of(new LocalAddress("eth0", SERVER, 24)));
        } catch (InvalidSettingException e) {
            throw new AssertionError(e);
        }
    }

    /** Settings as {@code etc/org.diskless.dhcp.cfg} would hold them: the given pairs, nothing else. */
    static Map<String, Object> settings(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Creates the processor and restores what the lease store holds, as the server does at start. */
    DhcpFixture start() {
        processor = new DhcpProcessor(topology, new DhcpProcessor.Services(
                () -> directory, () -> List.copyOf(loaders), () -> List.copyOf(classes),
                () -> mtftp, () -> http, withLeaseStore ? Optional.of(leases) : Optional.empty(), events::add, () -> true, clock,
                loop, statistics));
        processor.restore();
        return this;
    }

    DhcpFixture withHttpBoot(HttpBootEndpoint service) {
        this.http = Optional.of(service);
        return this;
    }

    DhcpFixture withMulticastTftp(MulticastTftp service) {
        this.mtftp = Optional.of(service);
        return this;
    }

    /** No lease store runs (a ProxyDHCP host, or one whose store failed to start). */
    DhcpFixture withoutLeaseStore() {
        this.withLeaseStore = false;
        return this;
    }

    DhcpFixture withoutNodeDirectory() {
        this.directory = Optional.empty();
        return this;
    }

    DhcpFixture withNodeDirectory(NodeDirectory other) {
        this.directory = Optional.of(other);
        return this;
    }

    /** A client class in force, as an org.diskless.dhcp.class configuration puts it. */
    DhcpFixture withClass(ClientClass clientClass) {
        classes.add(clientClass);
        return this;
    }

    DhcpFixture withLoader(BootLoader loader, int ranking, long serviceId, Integer... architectures) {
        loaders.add(new RankedLoader(loader, ranking, serviceId, Optional.of(java.util.Set.of(architectures))));
        return this;
    }

    DhcpProcessor processor() {
        return processor;
    }

    /** The server as a channel handler sees it: this fixture's processor and counters. */
    DhcpChannelHandler.DhcpServerCore core(Optional<Channel> broadcastSender) {
        return new DhcpChannelHandler.DhcpServerCore() {
            @Override
            public DhcpProcessor processor() {
                return processor;
            }

            @Override
            public DhcpStatistics statistics() {
                return statistics;
            }

            @Override
            public Optional<Channel> broadcastSender(DhcpMessage reply) {
                return broadcastSender;
            }
        };
    }

    /** A request from an unconfigured client to port 67; returns the replies it caused at once. */
    List<Sent> handle(DhcpMessage request) {
        return handle(request, UNCONFIGURED_CLIENT, false);
    }

    List<Sent> handle(DhcpMessage request, InetSocketAddress sender, boolean bootServerPort) {
        return handle(new DhcpProcessor.Arrival(request, sender, bootServerPort, true));
    }

    /** A request that came in on another interface than the boot network, {@code interface}. */
    List<Sent> handleFromAnotherNetwork(DhcpMessage request, InetSocketAddress sender) {
        return handle(new DhcpProcessor.Arrival(request, sender, false, false));
    }

    List<Sent> handle(DhcpProcessor.Arrival arrival) {
        int before = sent.size();
        processor.handle(arrival,
                (reply, recipient) -> sent.add(new Sent(reply, recipient)));
        return List.copyOf(sent.subList(before, sent.size()));
    }

    /** Makes every pending lease durable and runs the event loop; returns the replies that caused. */
    List<Sent> settle() {
        int before = sent.size();
        leases.completeAll();
        loop.runPending();
        return List.copyOf(sent.subList(before, sent.size()));
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The one reply of {@code type} in {@code replies}. */
    static Sent only(DhcpMessageType type, List<Sent> replies) {
        assertEquals(1, replies.size(), () -> "expected one " + type + ", got " + replies);
        assertEquals(type, replies.get(0).type(), () -> "reply " + replies.get(0).reply());
        return replies.get(0);
    }

    /** DISCOVER, REQUEST of the offered address, lease made durable: the address acknowledged. */
    Inet4Address lease(HardwareAddress mac) {
        return lease(mac, null);
    }

    /** {@link #lease(HardwareAddress)} by a client that sends {@code clientId} as option 61, unless null. */
    Inet4Address lease(HardwareAddress mac, byte[] clientId) {
        Consumer<DhcpOptions.Builder> id = o -> {
            if (clientId != null) {
                o.clientIdentifier(clientId);
            }
        };
        Sent offer = only(DhcpMessageType.OFFER, handle(discover(mac).options(id).build()));
        assertTrue(handle(select(mac, offer.reply().yiaddr(), SERVER).options(id).build()).isEmpty(),
                "nothing may be sent before the lease is durable");
        Sent ack = only(DhcpMessageType.ACK, settle());
        assertEquals(offer.reply().yiaddr(), ack.reply().yiaddr());
        return ack.reply().yiaddr();
    }

    long dropped(DhcpStatistics.Drop why) {
        return statistics.snapshot().dropped(why);
    }

    // ---------------------------------------------------------------- requests as clients send them

    static HardwareAddress mac(int n) {
        return HardwareAddress.ethernet(new byte[] {0x52, 0x54, 0x00, 0x00, (byte) (n >> 8), (byte) n});
    }

    static DhcpMessage.Builder message(DhcpMessageType type, HardwareAddress mac) {
        return DhcpMessage.builder().hardwareAddress(mac).xid(0x1000 + mac.hashCode())
                .options(o -> o.messageType(type));
    }

    static DhcpMessage.Builder discover(HardwareAddress mac) {
        return message(DhcpMessageType.DISCOVER, mac);
    }

    /** REQUEST in SELECTING state: the offered address and the chosen server (RFC 2131 4.3.2). */
    static DhcpMessage.Builder select(HardwareAddress mac, Inet4Address address, Inet4Address server) {
        return message(DhcpMessageType.REQUEST, mac)
                .options(o -> o.requestedIpAddress(address).serverIdentifier(server));
    }

    /** REQUEST in INIT-REBOOT state: the address it remembers, no server identifier, no ciaddr. */
    static DhcpMessage.Builder initReboot(HardwareAddress mac, Inet4Address address) {
        return message(DhcpMessageType.REQUEST, mac).options(o -> o.requestedIpAddress(address));
    }

    /** REQUEST in RENEWING state: ciaddr set, neither option 50 nor 54. */
    static DhcpMessage.Builder renew(HardwareAddress mac, Inet4Address address) {
        return message(DhcpMessageType.REQUEST, mac).ciaddr(address);
    }

    /** DECLINE after an ACK: the address found in use on the wire, and the server that leased it. */
    static DhcpMessage.Builder decline(HardwareAddress mac, Inet4Address address) {
        return message(DhcpMessageType.DECLINE, mac).options(o -> o.requestedIpAddress(address).serverIdentifier(SERVER));
    }

    static Inet4Address ip(String dotted) {
        return Addresses.parse(dotted);
    }

    static InetSocketAddress to(String dotted, int port) {
        return new InetSocketAddress(ip(dotted), port);
    }
}

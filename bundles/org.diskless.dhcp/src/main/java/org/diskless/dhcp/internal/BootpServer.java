package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BOOTP (RFC 951, with the vendor extensions of RFC 1497 and the relaying of RFC 1542): requests
 * without a DHCP message type, from kernels booted with {@code ip=bootp}, X terminals and old boot
 * ROMs. Like ISC dhcpd without {@code dynamic-bootp} and Kea's BOOTP hook, only a node of the
 * inventory with a fixed address on the subnet it asks from is answered: with that address, the
 * same next-server, boot file and network options a DHCP client gets, and no lease (BOOTP has
 * none to renew or give back), so nothing is written to the lease store. The options go in the
 * RFC 1048 format even when the request has no magic cookie, unless its vendor area holds another
 * vendor's format ({@link DhcpMessage#takesVendorExtensions()}).
 *
 * <p>Everything else is counted and dropped before anything is recorded for it: a flood of BOOTP
 * requests from made-up addresses costs a counter and one log line a minute per reason, never a
 * boot event or a timeline.
 */
final class BootpServer {

    private static final Logger LOG = LoggerFactory.getLogger(BootpServer.class);

    /** How BOOTP shows on a node's boot timeline. */
    static final BootProtocol BOOTP = BootProtocol.of("BOOTP");

    private final Supplier<Topology> topology;
    private final DhcpStatistics statistics;
    private final BootAnswers answers;
    private final Replies replies;
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));

    BootpServer(Supplier<Topology> topology, DhcpStatistics statistics, BootAnswers answers, Replies replies) {
        this.topology = topology;
        this.statistics = statistics;
        this.answers = answers;
        this.replies = replies;
    }

    /**
     * Whether BOOTP is answered at all on this arrival: it is off ({@code bootp = false}), a
     * ProxyDHCP hands out no addresses, and the PXE port 4011 is no BOOTP port. Checked before the
     * sender is looked up.
     */
    boolean admits(DhcpProcessor.Arrival arrival) {
        DhcpSettings settings = topology.get().settings();
        if (settings.bootp() && settings.mode() == DhcpMode.SERVER && !arrival.bootServerPort()) {
            return true;
        }
        statistics.dropped(Drop.BOOTP);
        throttle.info(LOG, "not-here", "Not answering a BOOTP request from {}: {} (logged once a minute; dhcp:stats"
                + " counts them all)", arrival.message().hardwareAddress().map(Object::toString).orElse("?"),
                arrival.bootServerPort() ? "it came to the PXE port " + arrival.sender().getPort()
                        : settings.mode() != DhcpMode.SERVER ? "a ProxyDHCP hands out no addresses"
                        : "bootp = false in etc/org.diskless.dhcp.cfg");
        return false;
    }

    /** Answers one BOOTREQUEST that {@link #admits} let through. */
    void request(DhcpClient client, DhcpProcessor.Outbox outbox) {
        if (client.node().isEmpty()) {
            statistics.dropped(Drop.UNKNOWN_CLIENT);
            throttle.info(LOG, "unknown", "Not answering a BOOTP request from {}: BOOTP answers only nodes of the"
                    + " inventory with a fixed address (nodes:add --address) (logged once a minute; dhcp:stats counts"
                    + " them all)", client.mac());
            return;
        }
        if (client.subnet().isEmpty()) {
            statistics.dropped(Drop.NO_SUBNET);
            throttle.warn(LOG, "no-subnet", "Not answering a BOOTP request from node {} ({}): no subnet is configured"
                    + " for the network it asks from{}", client.node().get().name(), client.mac(),
                    client.request().isRelayed() ? " (relay " + client.request().giaddr().getHostAddress() + ")" : "");
            return;
        }
        Optional<Inet4Address> fixed = client.fixedAddress();
        if (fixed.isEmpty()) {
            statistics.dropped(Drop.BOOTP_NO_FIXED_ADDRESS);
            throttle.warn(LOG, "no-fixed-address", "Not answering a BOOTP request from node {} ({}): BOOTP has no"
                    + " lease, so only a fixed address in subnet {} can be given (nodes:add --address, or the node's"
                    + " 'address'); it boots with DHCP meanwhile", client.node().get().name(), client.mac(),
                    client.subnet().get().name());
            return;
        }
        replies.event(client, BootEvent.Kind.REQUEST, () -> "BOOTREQUEST" + client.describe());
        DhcpMessage.Builder reply = DhcpMessage.replyTo(client.request())
                .ciaddr(client.request().ciaddr())
                .yiaddr(fixed.get());
        if (client.request().takesVendorExtensions()) {
            reply.options(o -> DhcpProcessor.networkOptions(o, client.subnet().get(), client));
        }
        answers.addBootp(client, reply);
        DhcpMessage built = reply.build();
        replies.send(client, built, outbox);
        replies.event(client, BootEvent.Kind.ACK, () -> fixed.get().getHostAddress() + " (fixed, BOOTREPLY)"
                + Replies.bootNote(built), fixed.get());
    }
}

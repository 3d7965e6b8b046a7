package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;

import org.diskless.api.boot.BootEvent;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every answer shares, in server mode, ProxyDHCP and on the boot server port: where a reply
 * goes, the boot event it leaves, and the refusal of clients not in the inventory.
 */
final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    /** What a boot event keeps of the text a client sent (user class, and the like). */
    static final int DETAIL_CHARS = 256;

    private final Supplier<Topology> topology;
    private final DhcpProcessor.Services services;
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));

    Replies(Supplier<Topology> topology, DhcpProcessor.Services services) {
        this.topology = topology;
        this.services = services;
    }

    /**
     * RFC 2131 section 4.1 (RFC 1542 for BOOTP): to the relay, to the client's address, or
     * broadcast; as the client classes it belongs to make the reply.
     */
    void send(DhcpClient client, DhcpMessage reply, DhcpProcessor.Outbox outbox) {
        DhcpMessage request = client.request();
        DhcpSettings settings = topology.get().settings();
        int clientPort = settings.clientPort();
        InetSocketAddress recipient;
        if (request.isRelayed()) {
            recipient = new InetSocketAddress(request.giaddr(), settings.bindAddress().getPort());
        } else if (reply.messageType().filter(DhcpMessageType.NAK::equals).isPresent()) {
            recipient = new InetSocketAddress(Addresses.BROADCAST, clientPort);
        } else if (!Addresses.isAny(request.ciaddr())) {
            recipient = new InetSocketAddress(request.ciaddr(), clientPort);
        } else {
            // A client without an address cannot answer ARP, and Java cannot add the ARP entry a
            // unicast to yiaddr needs, so replies to it are broadcast whatever its flag says.
            recipient = new InetSocketAddress(Addresses.BROADCAST, clientPort);
        }
        sendTo(client, reply, recipient, outbox);
    }

    /** To {@code recipient}, as the client classes {@code client} belongs to make the reply. */
    void sendTo(DhcpClient client, DhcpMessage reply, InetSocketAddress recipient, DhcpProcessor.Outbox outbox) {
        DhcpMessage tailored;
        try {
            tailored = ClientClass.tailor(services.classes().get(), client, reply);
        } catch (IllegalArgumentException e) {
            // A class's option the encoder cannot take with the rest: the reply as the server made it.
            throttle.warn(LOG, "class", "A client class could not be applied to the reply to {}: {}", client.mac(),
                    e.getMessage());
            tailored = reply;
        }
        sendTo(tailored, recipient, outbox);
    }

    private void sendTo(DhcpMessage reply, InetSocketAddress recipient, DhcpProcessor.Outbox outbox) {
        try {
            outbox.send(reply, recipient);
            reply.messageType().ifPresentOrElse(services.statistics()::sent, services.statistics()::sentBootp);
        } catch (RuntimeException e) {
            services.statistics().dropped(Drop.SEND_FAILED);
            throttle.error(LOG, "send", "Could not send {} to {}: {}",
                    reply.messageType().map(Object::toString).orElse("a BOOTREPLY"), recipient, e.toString());
        }
    }

    /**
     * A client that is not in the node inventory where unknown clients are denied is counted and
     * left unanswered, and leaves no boot event: a flood from random MACs then costs a counter,
     * not a timeline per MAC that would push real nodes' history out.
     */
    boolean refusedAsUnknown(DhcpClient client) {
        if (client.node().isPresent() || topology.get().allowsUnknown(client.subnet())) {
            return false;
        }
        services.statistics().dropped(Drop.UNKNOWN_CLIENT);
        throttle.info(LOG, "unknown", "Not answering {}: it is not in the node inventory and unknownClients = deny"
                + " (logged once a minute; dhcp:stats counts them all)", client.mac());
        return true;
    }

    /** The boot file a reply names, as a boot event's detail says it. */
    static String bootNote(DhcpMessage reply) {
        String file = reply.options().bootfileName().orElse(reply.bootFileName());
        return file.isEmpty() ? "" : " file " + file;
    }

    void event(DhcpClient client, BootEvent.Kind kind, String detail) {
        event(client, kind, () -> detail, client.request().ciaddr());
    }

    void event(DhcpClient client, BootEvent.Kind kind, Supplier<String> detail) {
        event(client, kind, detail, client.request().ciaddr());
    }

    /**
     * {@code address} is what the node is known by afterwards: the TFTP requests that follow come
     * from it. The detail is only written out when someone takes the event, and then escaped and
     * cut to {@link #DETAIL_CHARS}, since it holds text a client sent.
     */
    void event(DhcpClient client, BootEvent.Kind kind, Supplier<String> detail, Inet4Address address) {
        if (!services.eventsWanted().getAsBoolean()) {
            return;
        }
        services.events().accept(BootEvent.builder(services.clock().get(), client.context().protocol(), kind, address)
                .hardwareAddress(client.mac()).detail(Printable.of(detail.get().trim(), DETAIL_CHARS)).build());
    }
}

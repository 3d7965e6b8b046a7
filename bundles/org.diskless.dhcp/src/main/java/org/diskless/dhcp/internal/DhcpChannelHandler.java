package org.diskless.dhcp.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpPacketException;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/**
 * Decodes each datagram and hands it to the processor. A datagram that is not DHCP is counted and
 * dropped (DHCP has no error reply); nothing a client sends can close the channel.
 */
@Sharable
final class DhcpChannelHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpChannelHandler.class);

    /** Which networks a channel's datagrams come from, when {@code interface} names the boot network. */
    enum Network {
        /** The boot network only (the socket is bound to that interface), or every one when none is named. */
        BOOT,
        /**
         * Every interface, with one named: unicasts from relays and from clients that have an
         * address. Broadcasts are dropped: those that came in on the boot network reach the
         * {@link #BOOT} channel too, and those from other networks are not ours to answer.
         */
        OTHERS
    }

    /** How much of a message a log line shows. */
    private static final int MESSAGE_CHARS = 512;

    private final DhcpServerCore core;
    private final boolean bootServerPort;
    private final Network network;
    private final BatchedSender replies;
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));

    /** What the handler needs from the server: the processor in force and the counters. */
    interface DhcpServerCore {
        DhcpProcessor processor();

        DhcpStatistics statistics();

        /**
         * The channel a reply to the limited broadcast address leaves on: one bound to the server
         * identifier it carries, so Linux sends it out that address's interface (a wildcard socket
         * needs a route for 255.255.255.255 and takes the default route's interface). Empty: the
         * arrival channel.
         */
        Optional<Channel> broadcastSender(DhcpMessage reply);
    }

    DhcpChannelHandler(DhcpServerCore core, boolean bootServerPort, Network network, BatchedSender replies) {
        this.core = core;
        this.bootServerPort = bootServerPort;
        this.network = network;
        this.replies = replies;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
        if (network == Network.OTHERS && Addresses.BROADCAST.equals(datagram.recipient().getAddress())) {
            return;
        }
        DhcpProcessor processor = core.processor();
        boolean toBroadcast = !isUnicast(datagram.recipient());
        // With peers, half the broadcasts are theirs: told from the raw bytes, not decoded.
        if (processor != null && processor.leftToPeer(datagram.content(), bootServerPort, toBroadcast)) {
            return;
        }
        InetSocketAddress sender = datagram.sender();
        DhcpMessage message;
        try {
            message = DhcpDecoder.decode(datagram.content(), sender);
        } catch (DhcpPacketException e) {
            core.statistics().dropped(Drop.MALFORMED);
            throttle.warn(LOG, "malformed", "Dropped a malformed DHCP datagram: {} (logged once a minute;"
                    + " dhcp:stats counts them all)", e.getMessage());
            return;
        }
        if (processor == null) {
            // The server installs its processor before it binds a socket, so this is only a guard: a
            // datagram without a processor to answer it is dropped, and the client retries.
            core.statistics().dropped(Drop.NOT_READY);
            return;
        }
        Channel arrival = ctx.channel();
        try {
            processor.handle(new DhcpProcessor.Arrival(message, sender, bootServerPort, network == Network.BOOT,
                            toBroadcast),
                    (reply, recipient) -> replies
                            .send(senderFor(reply, recipient, arrival), new DefaultAddressedEnvelope<>(reply, recipient))
                            .addListener(f -> {
                                if (!f.isSuccess()) {
                                    core.statistics().dropped(Drop.SEND_FAILED);
                                    throttle.warn(LOG, "send", "Could not send a DHCP reply to {}: {}", recipient,
                                            String.valueOf(f.cause()));
                                }
                            }));
        } catch (RuntimeException e) {
            core.statistics().dropped(Drop.INTERNAL_ERROR);
            // The message's text holds what the client wrote into sname and file: escaped and cut.
            throttle.error(LOG, "internal-error", "Failed to answer {} from {}; the server goes on serving others"
                    + " (logged once a minute; dhcp:stats counts them all)", Printable.of(message.toString(),
                    MESSAGE_CHARS), sender, e);
        }
    }

    private Channel senderFor(DhcpMessage reply, InetSocketAddress recipient, Channel arrival) {
        if (!Addresses.BROADCAST.equals(recipient.getAddress())) {
            return arrival;
        }
        return core.broadcastSender(reply).orElse(arrival);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        throttle.warn(LOG, "channel", "DHCP socket {}: {}", ctx.channel().localAddress(), cause.toString());
    }

    /**
     * Whether the datagram was sent to one of our addresses. Where the transport cannot tell
     * (NIO: the recipient is the socket's wildcard address) it counts as broadcast.
     */
    private static boolean isUnicast(InetSocketAddress recipient) {
        return recipient != null && recipient.getAddress() instanceof java.net.Inet4Address address
                && !Addresses.isAny(address) && !Addresses.BROADCAST.equals(address);
    }
}

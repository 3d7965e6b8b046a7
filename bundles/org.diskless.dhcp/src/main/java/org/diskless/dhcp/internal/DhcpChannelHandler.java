package org.diskless.dhcp.internal;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpPacketException;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
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

    private final DhcpServerCore core;
    private final boolean bootServerPort;
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));

    /** What the handler needs from the server: the processor in force and the counters. */
    interface DhcpServerCore {
        DhcpProcessor processor();

        DhcpStatistics statistics();
    }

    DhcpChannelHandler(DhcpServerCore core, boolean bootServerPort) {
        this.core = core;
        this.bootServerPort = bootServerPort;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
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
        Channel channel = ctx.channel();
        try {
            core.processor().handle(new DhcpProcessor.Arrival(message, sender, bootServerPort),
                    (reply, recipient) -> channel.writeAndFlush(new DefaultAddressedEnvelope<>(reply, recipient))
                            .addListener(f -> {
                                if (!f.isSuccess()) {
                                    core.statistics().dropped(Drop.SEND_FAILED);
                                    throttle.warn(LOG, "send", "Could not send a DHCP reply to {}: {}", recipient,
                                            String.valueOf(f.cause()));
                                }
                            }));
        } catch (RuntimeException e) {
            core.statistics().dropped(Drop.INTERNAL_ERROR);
            LOG.error("Failed to answer {} from {}; the server goes on serving others", message, sender, e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        throttle.warn(LOG, "channel", "DHCP socket {}: {}", ctx.channel().localAddress(), cause.toString());
    }
}

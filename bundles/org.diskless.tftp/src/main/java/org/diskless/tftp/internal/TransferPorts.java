package org.diskless.tftp.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpEncoder;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;

/**
 * Opens the port of one transfer (its TID): a channel connected to the client, with the codec and
 * the transfer in its pipeline. Tests open embedded channels instead.
 */
@FunctionalInterface
interface TransferPorts {

    /** Read transfers receive only ACKs and ERRORs. */
    int ACK_BUFFER = 512;

    ChannelFuture open(Transfer transfer, InetSocketAddress client, InetAddress localAddress);

    /** Ports on the server's event loops, from an ephemeral port of {@code localAddress}. */
    static TransferPorts on(DatagramTransport transport) {
        TftpDecoder decoder = new TftpDecoder();
        TftpEncoder encoder = new TftpEncoder();
        return (transfer, client, localAddress) -> {
            boolean write = transfer.direction() == TransferView.Direction.WRITE;
            return new Bootstrap()
                    .group(transport.group())
                    .channel(transport.channelType())
                    // One datagram per wake-up: a sender waits for one ACK, and a second read would
                    // only be a wasted system call.
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(
                            write ? TftpDecoder.MAX_PACKET_SIZE : ACK_BUFFER).maxMessagesPerRead(write ? 16 : 1))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(decoder, encoder, transfer);
                        }
                    })
                    .connect(client, new InetSocketAddress(localAddress, 0));
        };
    }
}

package org.diskless.tftp.internal;

import java.net.InetSocketAddress;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.unix.SegmentedDatagramPacket;

/**
 * Writes a window of DATA datagrams to a transfer's connected channel. Where the transport lets the
 * kernel segment UDP ({@link DatagramTransport#maxSegmentPayload}), consecutive datagrams of one
 * size leave as a train: one buffer of many datagrams that goes down the IP stack once and is cut
 * into datagrams by the kernel, at the last moment. Each datagram on the wire is the same as when
 * written on its own; the train saves a pass through the stack per block. A train's last datagram
 * may be shorter (the kernel allows it), so a file's last block rides along.
 *
 * <p>A train arrives whole: the client's socket gets all its datagrams at once, when the kernel has
 * cut the last one. A client asleep while it waited for the window wakes only then, and the server
 * then waits for it through its wake-up. So when the server would be waiting anyway, the window's
 * first datagram leaves alone, ahead of the train: the client wakes to it and reads it while the
 * rest is being cut. With one transfer at 1468-byte blocks (atftp, veth, lab) that made windows of
 * 8 about 15 % faster and of 16 about 6 %; with 50 transfers on one event loop, where the loop has
 * other transfers to serve instead of waiting, the extra datagram cost 14 %.
 *
 * <p>Not thread-safe: one per transfer, used on its event loop.
 */
final class WindowWriter {

    /** Datagrams in one train: UDP_MAX_SEGMENTS of Linux 4.18 (newer kernels allow more). */
    private static final int MAX_SEGMENTS = 64;
    /** A train is one IPv4 datagram before the kernel cuts it: 65535 less the IP and UDP headers. */
    private static final int MAX_TRAIN_BYTES = 65_535 - 20 - 8;

    private static final Logger LOG = LoggerFactory.getLogger(WindowWriter.class);

    private final InetSocketAddress client;
    private final TransferRegistry registry;
    /** The largest datagram a train may hold; 0 writes every datagram on its own. */
    private int maxSegment;
    private final ChannelFutureListener onTrainWritten = this::trainWritten;

    /**
     * @param client     the transfer's peer (the channel is connected to it)
     * @param maxSegment the largest datagram the kernel may cut a train into
     *                   ({@link DatagramTransport#maxSegmentPayload}); 0 never makes trains
     * @param registry   counts trains sent and refused, for {@code tftp:stats}
     */
    WindowWriter(InetSocketAddress client, int maxSegment, TransferRegistry registry) {
        this.client = client;
        this.maxSegment = maxSegment;
        this.registry = registry;
    }

    /**
     * Writes {@code datagrams} in order, without flushing; the channel owns the buffers from here.
     * If the kernel refuses a train (a route whose MTU is smaller than its interface's, say),
     * this writer stops making trains, and the transfer's retransmission sends the lost blocks
     * again one by one.
     *
     * @param firstAlone the first datagram leaves on its own, ahead of any train: when the server
     *                   would otherwise wait for the client to wake (see the class comment)
     */
    void write(Channel channel, List<ByteBuf> datagrams, boolean firstAlone) {
        int size = datagrams.size();
        int start = 0;
        while (start < size) {
            int end = firstAlone && start == 0 ? 1 : trainEnd(datagrams, start);
            if (end - start == 1) {
                channel.write(datagrams.get(start), channel.voidPromise());
            } else {
                int segment = datagrams.get(start).readableBytes();
                CompositeByteBuf train = channel.alloc().compositeDirectBuffer(end - start);
                train.addComponents(true, datagrams.subList(start, end));
                channel.write(new SegmentedDatagramPacket(train, segment, client))
                        .addListener(onTrainWritten);
                registry.trainsSent.increment();
            }
            start = end;
        }
    }

    /**
     * A refused train ends trains for this transfer. The first refusal since the server started is
     * a warning, since it usually means a route toward some clients has a smaller MTU than its
     * interface: those transfers each lose a retransmission timeout before going on.
     */
    private void trainWritten(ChannelFuture future) {
        if (future.isSuccess() || maxSegment == 0 || !future.channel().isOpen()) {
            return; // a train still queued when the transfer ended fails too: that is no refusal
        }
        int refusedSize = maxSegment;
        maxSegment = 0;
        boolean first = registry.trainsRefused.sum() == 0;
        registry.trainsRefused.increment();
        String cause = String.valueOf(future.cause());
        if (first) {
            LOG.warn("The kernel refused a UDP segmentation train to {} ({}); datagrams of up to {} bytes fit the"
                    + " interface's MTU, so a route toward this client probably has a smaller one. Transfers that"
                    + " meet this go on with single datagrams; tftp:stats counts them.", client, cause, refusedSize);
        } else {
            LOG.debug("The kernel refused a UDP segmentation train to {} ({})", client, cause);
        }
    }

    /**
     * Where the train that starts at {@code start} ends (exclusive): as long as datagrams have the
     * first one's size, within the kernel's limits, with one shorter datagram allowed last.
     */
    private int trainEnd(List<ByteBuf> datagrams, int start) {
        int segment = datagrams.get(start).readableBytes();
        if (segment > maxSegment) {
            return start + 1;
        }
        int limit = Math.min(datagrams.size(), start + Math.min(MAX_SEGMENTS, MAX_TRAIN_BYTES / segment));
        int end = start + 1;
        while (end < limit) {
            int next = datagrams.get(end).readableBytes();
            if (next > segment) {
                break;
            }
            end++;
            if (next < segment) {
                break; // a shorter datagram ends the train
            }
        }
        return end;
    }
}

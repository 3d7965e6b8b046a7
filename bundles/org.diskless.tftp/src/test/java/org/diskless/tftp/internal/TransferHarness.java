package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.support.log.LogThrottle;
import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpRequest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.ReferenceCountUtil;

/** One transfer on an embedded channel, with a clock the test moves. */
final class TransferHarness {

    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 2048);
    static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 40000);
    static final BootContext CONTEXT = BootContext.of(BootProtocol.TFTP, CLIENT);

    final TransferRegistry registry = new TransferRegistry();
    final List<BootEvent> events = new ArrayList<>();
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    /** The largest datagram the transfer may send in a train, as the transport would say; 0: none. */
    int maxSegmentPayload;
    final Transfer.Services services;
    final EmbeddedChannel channel = new EmbeddedChannel();
    /** Trains written to the channel, cut into their datagrams as the kernel would. */
    final List<Integer> trainLengths = new ArrayList<>();
    private final Deque<ByteBuf> cut = new ArrayDeque<>();

    /** A server with one event loop, where this transfer is alone: its loop waits for the client. */
    TransferHarness() {
        this(1);
    }

    /** A server with {@code eventLoops} event loops (0: as busy as it gets, its loops never wait for a client). */
    TransferHarness(int eventLoops) {
        services = new Transfer.Services(registry, events::add, clock::get, channel -> maxSegmentPayload, eventLoops,
                new LogThrottle(Duration.ofMinutes(1)));
    }

    static TransferOptions options(Map<String, String> asked) throws Exception {
        return TransferOptions.negotiate(asked, TftpSettings.defaults(), false, -1);
    }

    void start(Transfer transfer) {
        channel.pipeline().addLast(transfer);
        TransferSlots.Admission slot = registry.admit(CLIENT, TftpRequest.read(transfer.file, "octet", Map.of()), 1, 1);
        transfer.start(channel, assertInstanceOf(TransferSlots.Slot.class, slot));
    }

    void receive(TftpPacket packet) {
        channel.writeInbound(new DefaultAddressedEnvelope<>(packet, SERVER, CLIENT));
    }

    /** Lets {@code time} pass on the transfer's clock and the channel's timers. */
    void elapse(Duration time) {
        clock.addAndGet(time.toNanos());
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    /** The next packet sent to the client, of the expected type; DATA goes out already encoded. */
    <T extends TftpPacket> T sent(Class<T> type) {
        Object message = nextOutbound();
        assertNotNull(message, "expected a " + type.getSimpleName() + " but nothing was sent");
        if (message instanceof ByteBuf encoded) { // DATA, written to the connected channel as it is
            try {
                return assertInstanceOf(type, TftpDecoder.decode(encoded, SERVER));
            } finally {
                encoded.release();
            }
        }
        @SuppressWarnings("unchecked")
        AddressedEnvelope<?, InetSocketAddress> envelope = (AddressedEnvelope<?, InetSocketAddress>) message;
        assertEquals(CLIENT, envelope.recipient());
        return assertInstanceOf(type, envelope.content());
    }

    /** The next packet sent to the client, decoded; null when nothing more was sent. */
    TftpPacket next() {
        Object message = nextOutbound();
        if (message instanceof ByteBuf encoded) {
            try {
                return TftpDecoder.decode(encoded, SERVER);
            } finally {
                encoded.release();
            }
        }
        return message == null ? null : (TftpPacket) ((AddressedEnvelope<?, ?>) message).content();
    }

    /** Everything sent since the last look, released. */
    int drain() {
        int count = 0;
        Object message;
        while ((message = nextOutbound()) != null) {
            ReferenceCountUtil.release(message);
            count++;
        }
        return count;
    }

    /** The next datagram sent; a train ({@link SegmentedDatagramPacket}) yields its datagrams one by one. */
    private Object nextOutbound() {
        if (cut.isEmpty()) {
            Object message = channel.readOutbound();
            if (!(message instanceof SegmentedDatagramPacket train)) {
                return message;
            }
            assertEquals(CLIENT, train.recipient());
            ByteBuf all = train.content();
            int segments = 0;
            while (all.isReadable()) {
                cut.add(all.readRetainedSlice(Math.min(train.segmentSize(), all.readableBytes())));
                segments++;
            }
            trainLengths.add(segments);
            train.release();
        }
        return cut.poll();
    }
}

package org.diskless.tftp.internal;

import static org.diskless.tftp.internal.NetworkText.shown;

import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.support.log.LogThrottle;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpPacketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One transfer on its own port (its TID), connected to the client so the kernel drops datagrams
 * from anyone else. Everything happens on the channel's event loop: no locks. Retransmission is
 * driven by one timer per transfer that fires only when the client has gone quiet for a
 * {@link RetransmissionTimeout}; a duplicate packet alone never makes a packet go twice more (a
 * window is sent again early only on an ACK no copy can have drawn: see {@link ReadTransfer}), so
 * duplicates cannot multiply into a sorcerer's-apprentice storm.
 */
abstract class Transfer extends SimpleChannelInboundHandler<AddressedEnvelope<TftpPacket, InetSocketAddress>> {

    private static final Logger LOG = LoggerFactory.getLogger(Transfer.class);

    /**
     * The shared parts every transfer reports to, the monotonic clock it times out by
     * ({@code System::nanoTime}; tests drive their own), and the largest datagram the kernel may
     * cut a train of blocks into on a connected channel, 0 for none
     * ({@link DatagramTransport#maxSegmentPayload}), how many event loops the transfers share, and
     * the throttle every line a client can cause goes through: trouble that many requests or
     * transfers meet at once is a line a minute per kind, with how many were held back.
     */
    record Services(TransferRegistry registry, Consumer<BootEvent> events, LongSupplier clock,
                    ToIntFunction<Channel> maxSegmentPayload, int eventLoops, LogThrottle throttle) {

        /**
         * Whether so few transfers are in progress that an event loop has nothing to do between
         * sending a window and its ACK but wait for the client (about one transfer per loop).
         */
        boolean loopsWaitForClients() {
            return registry.activeCount() <= eventLoops;
        }
    }

    protected final Services services;
    protected final BootContext context;
    /** The file's name as the operator reads it (escaped and capped: it came from the network). */
    protected final String file;
    protected final TransferOptions options;
    private final int maxRetries;
    private final Instant startedAt = Instant.now();
    private final long startNanos;

    protected Channel channel;
    /** The transfer's slot, given back when it ends. */
    private TransferSlots.Slot slot;
    /** Whether the client has moved the transfer forward once: until then its timeout option is not trusted. */
    private boolean answered;
    private long lastProgressNanos;
    private long lastSendNanos;
    /** When to send again; subclasses feed it the round trips they measure. */
    private final RetransmissionTimeout retransmissionTimeout = new RetransmissionTimeout();
    /** Packets sent again so far, for the operator (read from other threads). */
    private volatile long resent;
    private boolean finished;
    private ChannelFuture lastWrite;
    /** The pending retransmission check, and when it is due. */
    private ScheduledFuture<?> timer;
    private long timerDueNanos;

    Transfer(Services services, BootContext context, String file, TransferOptions options, int maxRetries) {
        this.services = services;
        this.context = context;
        this.file = shown(file);
        this.options = options;
        this.maxRetries = maxRetries;
        this.startNanos = services.clock().getAsLong();
    }

    /**
     * Called on the event loop once the transfer's channel is connected to the client; the transfer
     * gives {@code admitted} back when it ends.
     */
    final void start(Channel connected, TransferSlots.Slot admitted) {
        this.channel = connected;
        this.slot = admitted;
        services.registry().started(this);
        event(BootEvent.Kind.FILE_STARTED, 0, "");
        lastProgressNanos = now();
        lastSendNanos = lastProgressNanos;
        scheduleTimer(retransmitTimeout());
        begin();
    }

    /** Sends the first packet: an OACK, the first window, or ACK 0. */
    protected abstract void begin();

    protected abstract void onPacket(TftpPacket packet);

    /**
     * The client went quiet for a timeout: send again whatever it has not acknowledged, and count
     * it ({@link #resent}).
     */
    protected abstract void retransmit();

    /** Bytes moved so far, for the operator. */
    abstract long bytesDone();

    /** Bytes this transfer moves in all, or -1 when not known yet. */
    abstract long totalBytes();

    abstract TransferView.Direction direction();

    /** Releases what the transfer holds (open file, upload); called exactly once. */
    protected abstract void release(boolean ok);

    Instant startedAt() {
        return startedAt;
    }

    TransferView view() {
        return new TransferView(context.client(), file, direction(), bytesDone(), totalBytes(),
                options.blockSize(), options.windowSize(), startedAt,
                Duration.ofNanos(now() - startNanos), resent);
    }

    @Override
    protected final void channelRead0(ChannelHandlerContext ctx, AddressedEnvelope<TftpPacket, InetSocketAddress> msg) {
        TftpPacket packet = msg.content();
        if (finished) {
            onPacketAfterFinish(packet);
            return;
        }
        if (packet instanceof TftpError error) {
            String message = shown(error.message());
            LOG.debug("{} ended the transfer of {}: error {} '{}'", context.client(), file, error.code(), message);
            finish(false, "client sent error " + error.code() + ": " + message);
            return;
        }
        onPacket(packet);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (finished) {
            return;
        }
        if (cause instanceof TftpPacketException bad) {
            services.registry().malformedPackets.increment();
            if (bad.wasErrorPacket()) {
                finish(false, "client sent a malformed error packet");
            } else {
                fail(TftpErrorCode.ILLEGAL_OPERATION, bad.getMessage());
            }
            return;
        }
        if (cause instanceof PortUnreachableException) {
            // ICMP port unreachable: the client is gone (it aborted or finished with a short read).
            LOG.debug("Client {} went away during {}", context.client(), file);
            finish(false, "client went away");
            return;
        }
        services.throttle().warn(LOG, "transfer failed", "Transfer of {} to {} failed", file, context.client(),
                cause);
        fail(TftpErrorCode.NOT_DEFINED, "server error");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished) {
            finish(false, "transfer channel closed");
        }
    }

    /**
     * The client moved forward: the retry budget starts again. The wait before a retransmission
     * stays backed off until a round trip is measured ({@link #roundTrip}): progress that answers
     * packets sent twice says nothing about how long the client takes now.
     */
    protected final void progress() {
        answered = true;
        lastProgressNanos = now();
        lastSendNanos = lastProgressNanos;
        pullTimerIn();
    }

    /** A round trip of a packet the client was sent once (never one sent again: Karn's rule). */
    protected final void roundTrip(long nanos) {
        retransmissionTimeout.sample(nanos);
    }

    /** {@code packets} went to the client again: counted for the transfer and for the server. */
    protected final void resent(long packets) {
        resent += packets;
        services.registry().retransmissions.add(packets);
    }

    /**
     * The first check is armed with the negotiated timeout (a second by default), before any
     * round trip is known; once one is measured a lost block must not wait for that check. A timer
     * due at most twice the retransmission timeout away is left alone: it fires a little late at
     * worst, and the timeout wobbles with every ACK.
     */
    private void pullTimerIn() {
        long timeout = retransmitTimeout();
        if (timer != null && timerDueNanos - lastSendNanos > 2 * timeout) {
            timer.cancel(false);
            scheduleTimer(timeout);
        }
    }

    protected final void send(TftpPacket packet) {
        lastWrite = channel.write(new DefaultAddressedEnvelope<>(packet, context.client()));
    }

    protected final void flush() {
        channel.flush();
    }

    /** Ends the transfer with an ERROR to the client. */
    protected final void fail(TftpErrorCode code, String message) {
        if (finished) {
            return;
        }
        services.registry().errorSent(code);
        send(new TftpError(code, message));
        flush();
        finish(false, message);
    }

    /** Ends the transfer; the channel closes once queued packets are written. */
    protected final void finish(boolean ok, String detail) {
        finish(ok, detail, Duration.ZERO);
    }

    /** A packet that arrived while the finished transfer lingers (see {@link #finish(boolean, String, Duration)}). */
    protected void onPacketAfterFinish(TftpPacket packet) {
    }

    /**
     * Ends the transfer: resources released, slot freed, event sent; the channel closes after
     * {@code linger}, answering late packets through {@link #onPacketAfterFinish} meanwhile.
     */
    protected final void finish(boolean ok, String detail, Duration linger) {
        if (finished) {
            return;
        }
        finished = true;
        try {
            release(ok);
        } finally {
            services.registry().ended(this, ok);
            slot.release();
            long nanos = now() - startNanos;
            event(ok ? (direction() == TransferView.Direction.READ ? BootEvent.Kind.FILE_SENT
                    : BootEvent.Kind.FILE_RECEIVED) : BootEvent.Kind.FILE_FAILED, bytesDone(), detail,
                    Duration.ofNanos(nanos));
            if (!linger.isZero()) {
                channel.eventLoop().schedule(() -> channel.close(), linger.toNanos(), TimeUnit.NANOSECONDS);
            } else if (lastWrite != null && !lastWrite.isDone()) {
                lastWrite.addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        }
    }

    protected final boolean isFinished() {
        return finished;
    }

    protected final long now() {
        return services.clock().getAsLong();
    }

    private void scheduleTimer(long delayNanos) {
        timerDueNanos = now() + delayNanos;
        timer = channel.eventLoop().schedule(this::timerFired, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Sends again once the client has been quiet for the retransmission timeout
     * ({@link RetransmissionTimeout}: the negotiated timeout until a round trip is measured, then
     * what the round trips say, doubled after each retransmission up to the timeout). The transfer
     * is given up only after {@code retries + 1} whole timeouts without progress, so a fast
     * retransmission never shortens a slow client's grace.
     */
    private void timerFired() {
        if (finished) {
            return;
        }
        long now = now();
        if (now - lastProgressNanos >= timeoutNanos() * (maxRetries + 1L)) {
            fail(TftpErrorCode.NOT_DEFINED, "timed out after " + maxRetries + " retries");
            return;
        }
        long quiet = now - lastSendNanos;
        long wait = retransmitTimeout();
        if (quiet < wait) {
            scheduleTimer(wait - quiet);
            return;
        }
        retransmissionTimeout.backOff();
        retransmit();
        lastSendNanos = now;
        scheduleTimer(retransmitTimeout());
    }

    private long retransmitTimeout() {
        return retransmissionTimeout.nanos(timeoutNanos());
    }

    /**
     * How long the client may stay silent before a packet goes again: its negotiated timeout once
     * it has answered, the server's before ({@link TransferOptions#unansweredTimeout}).
     */
    private long timeoutNanos() {
        return (answered ? options.timeout() : options.unansweredTimeout()).toNanos();
    }

    private void event(BootEvent.Kind kind, long bytes, String detail) {
        event(kind, bytes, detail, Duration.ZERO);
    }

    private void event(BootEvent.Kind kind, long bytes, String detail, Duration duration) {
        String text = detail.isEmpty() ? file : file + ": " + detail;
        services.events().accept(BootEvent.builder(Instant.now(), BootProtocol.TFTP, kind, context.client().getAddress())
                .hardwareAddress(context.hardwareAddress().orElse(null)).detail(text).bytes(bytes).duration(duration)
                .build());
    }
}

package org.diskless.mtftp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import org.diskless.tftp.codec.TftpEncoder;
import org.diskless.tftp.codec.TftpPacket;

import io.netty.util.concurrent.ScheduledFuture;

/**
 * Sends one file to one group through a {@link GroupPort}, driven by the acknowledgements of one
 * client at a time: what a PXE MTFTP round and an RFC 2090 session share. One timer at a time,
 * armed after each send, drives retransmission, so a duplicate packet never causes a send (no
 * sorcerer's apprentice); the same timer holds a block back while the pace asks for it.
 * Confined to the port's event loop.
 */
abstract class GroupSender {

    protected final Services services;
    protected final GroupPort port;
    protected final InetSocketAddress group;
    protected final GroupContent content;
    protected final long startNanos;
    private final Pace pace;
    private ScheduledFuture<?> timer;
    /** A send the timer holds back for the pace; null when the timer waits for an ACK. */
    private Runnable held;
    private boolean stopped;

    /** @param bytesPerSecond the pace blocks leave at (0: as fast as they are asked for) */
    GroupSender(Services services, GroupPort port, InetSocketAddress group, GroupContent content,
                long bytesPerSecond) {
        this.services = services;
        this.port = port;
        this.group = group;
        this.content = content;
        this.startNanos = services.clock().getAsLong();
        this.pace = new Pace(bytesPerSecond);
    }

    /** The armed timer ran out. */
    protected abstract void onTimer();

    /** A block could not be read: the sender ends, and says so to whom it concerns. */
    protected abstract void onReadFailure(IOException e);

    /**
     * Sends {@code block} to the group, and first to {@code alsoTo} unless it is null.
     *
     * @return false when the block could not be read ({@link #onReadFailure} has run)
     */
    protected final boolean sendBlock(int block, InetSocketAddress alsoTo) {
        int bytes;
        try {
            bytes = port.sendBlock(content, block, group, alsoTo);
        } catch (IOException e) {
            onReadFailure(e);
            return false;
        }
        if (alsoTo != null) {
            sent(bytes, true);
        }
        sent(bytes, true);
        return true;
    }

    /** Runs {@code send} (of a block) now, or as soon as the pace allows. */
    protected final void paced(Runnable send) {
        long wait = pace.delay(services.clock().getAsLong(),
                content.blockSize() + TftpEncoder.DATA_HEADER_SIZE + MtftpCounters.IP_UDP_HEADERS);
        if (wait <= 0) {
            send.run();
            return;
        }
        arm(Duration.ofNanos(wait));
        held = send;
    }

    /** Sends an OACK or ERROR to one client. */
    protected final void sendTo(TftpPacket packet, InetSocketAddress to) {
        sent(port.sendTo(packet, to), false);
    }

    /** Counts one datagram of {@code payload} bytes; a subclass adds its own counts. */
    protected void sent(int payload, boolean data) {
        services.counters().sent(payload);
        if (data) {
            services.counters().dataSent.increment();
        }
    }

    /** Arms the one timer, replacing one armed before. */
    protected final void arm(Duration delay) {
        disarm();
        timer = port.schedule(this::fire, delay);
    }

    protected final void disarm() {
        held = null;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void fire() {
        timer = null;
        Runnable send = held;
        held = null;
        if (stopped) {
            return;
        }
        if (send != null) {
            send.run();
        } else {
            onTimer();
        }
    }

    /** No more sends and no more timers. */
    protected final void stop() {
        stopped = true;
        disarm();
    }

    /** A packet from someone this sender does not take it from: counted, never answered. */
    protected final void stranger() {
        services.counters().strangerPackets.increment();
    }

    /** Time since the sender was made, for events. */
    protected final Duration elapsed() {
        return Duration.ofNanos(services.clock().getAsLong() - startNanos);
    }
}

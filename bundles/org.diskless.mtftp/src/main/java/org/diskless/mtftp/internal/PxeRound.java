package org.diskless.mtftp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of a PXE MTFTP file: the master that opened it acknowledges block after block, each
 * sent to the group (block 1 also to the master itself), from block 1 to the last, since a PXE
 * client that becomes master finishes when it acknowledges the last block, whatever it holds.
 *
 * <p>A healthy master is never disturbed: other clients that open meanwhile are only counted as
 * listening. A master that leaves the current block unacknowledged through every retransmission
 * is taken as silent: the round stops sending, so that listening clients hear the group go quiet
 * and open; the first of them becomes master of a new round at once. A silent round whose master
 * comes back with the acknowledgement goes on; one nobody takes over ends after a bounded time.
 */
final class PxeRound extends GroupSender {

    private static final Logger LOG = LoggerFactory.getLogger(PxeRound.class);

    /** What a round's file learns from it. */
    interface Owner {
        /** A datagram of {@code payload} bytes left for this file. */
        void sent(int payload, boolean data);

        /** The round ended; its port is closing. */
        void ended(PxeRound round, boolean completed);
    }

    enum State {
        /** Its port is being bound. */
        STARTING,
        /** Sending, the master acknowledging. */
        SENDING,
        /** The master left a block unacknowledged through every retransmission; nothing is sent. */
        SILENT,
        ENDED
    }

    private final Owner owner;
    private final MtftpSettings settings;
    private final Duration silentLinger;
    private final Member master;
    private final Map<InetSocketAddress, Member> listeners = new LinkedHashMap<>();
    /** Opens by clients beyond {@code maxClientsPerFile}: counted, not remembered. */
    private long listenersNotRemembered;
    private State state = State.STARTING;
    /** The block sent and awaiting the master's acknowledgement. */
    private int block = 1;
    private int retries;

    /**
     * @param silentLinger how long a round whose master went silent waits, quiet, for the master
     *                     to come back or another client to open
     */
    PxeRound(Services services, Owner owner, MtftpSettings settings, GroupPort port, InetSocketAddress group,
             GroupContent content, Member master, Duration silentLinger, long bytesPerSecond) {
        super(services, port, group, content, bytesPerSecond);
        this.owner = owner;
        this.settings = settings;
        this.master = master;
        this.silentLinger = silentLinger;
    }

    /** The file's port is bound: block 1 goes out. */
    void begin() {
        if (state == State.STARTING) {
            state = State.SENDING;
            sendCurrent();
        }
    }

    State state() {
        return state;
    }

    Member master() {
        return master;
    }

    /** Whether the master is there to acknowledge: opens are then only counted. */
    boolean isHealthy() {
        return state == State.STARTING || state == State.SENDING;
    }

    /** The master or a client that opened during this round; null for anyone else. */
    Member member(InetSocketAddress client) {
        return master.address().equals(client) ? master : listeners.get(client);
    }

    /** Clients that opened during this round, the master aside. */
    int listening() {
        return listeners.size();
    }

    /** The clients that opened during this round, the master aside. */
    Set<InetSocketAddress> listenerAddresses() {
        return Set.copyOf(listeners.keySet());
    }

    /** The pace the round kept, in bytes of file a second since it started. */
    long bytesPerSecond() {
        long nanos = Math.max(1, elapsed().toNanos());
        return content.bytesUpTo(block) * 1_000_000_000L / nanos;
    }

    /** Whether more opened than {@link #listening()} counts (beyond maxClientsPerFile). */
    boolean listeningCapped() {
        return listenersNotRemembered > 0;
    }

    /** The master opened again: block 1 again, if it is still waiting for it (it lost the first). */
    void masterReopened() {
        if (state == State.SENDING && block == 1) {
            sendCurrent();
        }
    }

    /** A client opened while the master is healthy: it listens, and is counted. */
    void listen(Member client) {
        services.counters().opensIgnored.increment();
        if (listeners.containsKey(client.address())) {
            return;
        }
        if (listeners.size() >= settings.maxClientsPerFile()) {
            listenersNotRemembered++;
            return;
        }
        listeners.put(client.address(), client);
        client.started(services, content.path() + " as listener on " + shown(group) + " (master " + master.shown()
                + ")");
    }

    private void sendCurrent() {
        if (sendBlock(block, block == 1 ? master.address() : null)) {
            arm(settings.timeout());
        }
    }

    void onAck(InetSocketAddress from, int acked) {
        if (!master.address().equals(from)) {
            stranger();
            return;
        }
        if (acked != block || state == State.ENDED || state == State.STARTING) {
            return; // a repeat or a stray: the timer covers loss
        }
        if (state == State.SILENT) {
            LOG.debug("Master {} of {} came back at block {}", master.shown(), content.path(), block);
            state = State.SENDING;
        }
        retries = 0;
        if (block == content.lastBlock()) {
            complete();
            return;
        }
        block++;
        paced(this::sendCurrent);
    }

    void onError(InetSocketAddress from, TftpError error) {
        if (!master.address().equals(from)) {
            stranger();
            return;
        }
        end(false, "master " + master.shown() + " sent error " + error.code() + " '"
                + NetworkText.shown(error.message()) + "' at block " + block);
    }

    @Override
    protected void onTimer() {
        if (state == State.SILENT) {
            end(false, "master " + master.shown() + " went silent at block " + block + " and nobody took over");
            return;
        }
        if (retries < settings.retries()) {
            retries++;
            services.counters().retransmissions.increment();
            sendCurrent();
            return;
        }
        state = State.SILENT;
        services.counters().mastersLost.increment();
        LOG.debug("Master {} of {} left block {} unacknowledged; the group goes quiet for {} s", master.shown(),
                content.path(), block, silentLinger.toSeconds());
        arm(silentLinger);
    }

    @Override
    protected void onReadFailure(IOException e) {
        services.throttle().warn(LOG, "read " + content.path(), "Cannot read {} for its MTFTP round: {}",
                content.path(), e.getMessage());
        services.counters().errorsSent.increment();
        sendTo(new TftpError(TftpErrorCode.NOT_DEFINED, "cannot read " + content.path()), master.address());
        end(false, "cannot read the file: " + e.getMessage());
    }

    @Override
    protected void sent(int payload, boolean data) {
        super.sent(payload, data);
        owner.sent(payload, data);
    }

    /** The port could not be bound: the round never sent anything. */
    void portFailed(String why) {
        end(false, "no port for the round: " + why);
    }

    /** A client opened while the master is silent: it becomes master of a new round, this one ends. */
    void takenOver(Member next) {
        end(false, "master " + master.shown() + " went silent at block " + block + "; " + next.shown()
                + " took over");
    }

    /** Ends the round from outside (configuration changed, server stopping). */
    void retire(String why) {
        end(false, why);
    }

    private void complete() {
        end(true, "");
    }

    private void end(boolean completed, String why) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        stop();
        String where = content.path() + " on " + shown(group);
        if (completed) {
            services.counters().roundsCompleted.increment();
            master.sent(services, where + " as master", content.size());
            for (Member listener : listeners.values()) {
                listener.sent(services, where + ": the round this client listened to is complete", content.size());
            }
        } else {
            services.counters().roundsFailed.increment();
            master.failed(services, where + " as master: " + why, content.bytesUpTo(block - 1));
        }
        owner.ended(this, completed);
    }

    static String shown(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}

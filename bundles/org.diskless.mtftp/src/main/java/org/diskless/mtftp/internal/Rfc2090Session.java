package org.diskless.mtftp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOptionAck;
import org.diskless.tftp.codec.TftpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file sent to one group under RFC 2090, from a port of its own that every client of the
 * session hears from. The oldest client is master: it is told so in an OACK ({@code mc=1}), and
 * each of its ACKs asks for the block after the one it names; the block goes to the group, where
 * every other client (told {@code mc=0}) keeps what it lacks. When the master has the whole file,
 * or leaves, or answers nothing through every retransmission, the next oldest client is told it
 * is master and asks, from its first missing block, for what it still needs. A client ends its
 * part by acknowledging the last block or by an ERROR; the session ends with its last client.
 */
final class Rfc2090Session extends GroupSender implements GroupPort.Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(Rfc2090Session.class);

    /** What the session's owner learns. */
    interface Owner {
        /** {@code client} left the session (done, failed or refused). */
        void left(Rfc2090Session session, InetSocketAddress client);

        /** The session's last client left; its port is closing and its file closed. */
        void ended(Rfc2090Session session);
    }

    /** A client of the session: who it is, and the options it asked, which its OACKs answer. */
    private record Client(Member member, Map<String, String> answered) {
    }

    /** What identifies a session: clients asking for the same file with the same block size share one. */
    record Key(String path, long size, int blockSize) {
    }

    private final Key key;
    private final Owner owner;
    private final MtftpSettings settings;
    private final Map<InetSocketAddress, Client> clients = new LinkedHashMap<>();
    private Client master;
    /** The block the master last acknowledged; -1 until its first ACK after the OACK that made it master. */
    private int acked = -1;
    private int retries;
    private boolean ended;
    private long blocksSent;
    private long bytesSent;

    /** A session with no client yet; its {@link #port()} is still to be bound. */
    Rfc2090Session(Services services, Owner owner, MtftpSettings settings, Key key, InetSocketAddress group,
                   GroupContent content) {
        super(services, new GroupPort(services, content.path()), group, content, settings.maxBytesPerSecond());
        port.receiving(this);
        this.owner = owner;
        this.settings = settings;
        this.key = key;
    }

    Key key() {
        return key;
    }

    GroupPort port() {
        return port;
    }

    InetSocketAddress group() {
        return group;
    }

    int clients() {
        return clients.size();
    }

    boolean knows(InetSocketAddress client) {
        return clients.containsKey(client);
    }

    /** A session made for nothing (another request made the same one first): its port and file close. */
    void discard() {
        ended = true;
        stop();
        port.close();
        content.close();
    }

    /** {@code client}'s request was served by unicast after all: it leaves. */
    void abandon(InetSocketAddress client) {
        Client known = clients.get(client);
        if (known != null) {
            leave(known, false, "its request was served by unicast TFTP instead");
        }
    }

    /**
     * A client asks for the file: it is told the group, and whether it is master. A client the
     * session knows is told again what it was told (its OACK was lost).
     */
    void join(Member member, Map<String, String> answered) {
        Client known = clients.get(member.address());
        if (known != null) {
            oack(known, known == master);
            return;
        }
        Client client = new Client(member, answered);
        clients.put(member.address(), client);
        member.started(services, content.path() + " by RFC 2090 on " + PxeRound.shown(group) + " (block size "
                + content.blockSize() + ")");
        if (master == null) {
            promote(client);
        } else {
            oack(client, false);
        }
    }

    private void promote(Client client) {
        master = client;
        acked = -1;
        retries = 0;
        oack(client, true);
        arm(settings.timeout());
    }

    private void oack(Client client, boolean isMaster) {
        Map<String, String> options = new LinkedHashMap<>(client.answered());
        options.put(Rfc2090Sessions.OPTION, group.getAddress().getHostAddress() + "," + group.getPort() + ","
                + (isMaster ? 1 : 0));
        services.counters().oacksSent.increment();
        sendTo(new TftpOptionAck(options), client.member().address());
    }

    @Override
    public void onRequest(InetSocketAddress from, TftpRequest request) {
        stranger(); // requests come through the TFTP server, never to this port
    }

    @Override
    public void onAck(InetSocketAddress from, int block) {
        Client client = clients.get(from);
        if (client == null || ended) {
            stranger();
            return;
        }
        int last = content.lastBlock();
        if (client != master) {
            if (block >= last) {
                done(client);
            }
            return; // a client that is not master asks for nothing
        }
        if (acked >= 0 && block <= acked) {
            return; // a repeat: the timer covers loss
        }
        retries = 0;
        if (block >= last) {
            done(client);
            return;
        }
        acked = block;
        paced(this::sendNext);
    }

    private void sendNext() {
        if (sendBlock(acked + 1, null)) {
            arm(settings.timeout());
        }
    }

    @Override
    public void onError(InetSocketAddress from, TftpError error) {
        Client client = clients.get(from);
        if (client == null || ended) {
            stranger();
            return;
        }
        leave(client, false, "client sent error " + error.code() + " '" + NetworkText.shown(error.message()) + "'");
    }

    @Override
    protected void onTimer() {
        if (master == null) {
            return;
        }
        if (retries < settings.retries()) {
            retries++;
            services.counters().retransmissions.increment();
            if (acked < 0) {
                oack(master, true);
                arm(settings.timeout());
            } else {
                sendNext();
            }
            return;
        }
        services.counters().mastersLost.increment();
        leave(master, false, "master did not answer through " + settings.retries() + " retransmissions");
    }

    @Override
    protected void onReadFailure(IOException e) {
        services.throttle().warn(LOG, "read " + content.path(), "Cannot read {} for its RFC 2090 session: {}",
                content.path(), e.getMessage());
        for (Client client : new ArrayList<>(clients.values())) {
            services.counters().errorsSent.increment();
            sendTo(new TftpError(TftpErrorCode.NOT_DEFINED, "cannot read " + content.path()),
                    client.member().address());
            leave(client, false, "cannot read the file: " + e.getMessage());
        }
    }

    @Override
    protected void sent(int payload, boolean data) {
        super.sent(payload, data);
        bytesSent += payload + MtftpCounters.IP_UDP_HEADERS;
        if (data) {
            blocksSent++;
        }
    }

    private void done(Client client) {
        leave(client, true, "");
    }

    private void leave(Client client, boolean completed, String why) {
        if (clients.remove(client.member().address()) == null) {
            return;
        }
        String where = content.path() + " by RFC 2090 on " + PxeRound.shown(group);
        if (completed) {
            services.counters().rfc2090ClientsDone.increment();
            client.member().sent(services, where, content.size());
        } else {
            services.counters().rfc2090ClientsFailed.increment();
            client.member().failed(services, where + ": " + why, 0);
        }
        owner.left(this, client.member().address());
        if (client != master) {
            return;
        }
        master = null;
        disarm();
        if (clients.isEmpty()) {
            end();
        } else {
            promote(clients.values().iterator().next());
        }
    }

    /** Every client leaves (the server is stopping). */
    void retire(String why) {
        for (Client client : new ArrayList<>(clients.values())) {
            leave(client, false, why);
        }
        end();
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        stop();
        port.close();
        content.close();
        owner.ended(this);
    }

    SessionView view() {
        return new SessionView(content.path(), PxeRound.shown(group), content.blockSize(),
                master == null ? "-" : master.member().shown(), Math.max(0, clients.size() - (master == null ? 0 : 1)),
                blocksSent, bytesSent, elapsed());
    }
}

package org.diskless.bench.storm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A PXE MTFTP download (PXE 2.1, the MTFTP client): the node listens to the file's group for the
 * channel's open timeout, keeping every block it hears; if it heard nothing it opens the transfer
 * itself with an RRQ to the server port, and if the transfer it heard stops before it has every
 * block, it opens it again after the reopen delay. The server answers an open with block 1 to the
 * opener's own address (and to the group): that client is the master and acknowledges, for every
 * block, the highest one it holds in sequence, so a master that joined late makes the server skip
 * what it already has. Blocks are 512 bytes (no options), so a file has at most 65,535 of them.
 *
 * <p>Which client wins the open is the server's choice: one whose open was not answered but who
 * hears the group is a listener again. The master retransmits its ACK, and an opener its RRQ,
 * with the same {@link RetryTimer} as unicast TFTP, and gives up the same way. A master ACKs
 * only when the block it acknowledges moves on, as atftp's client does: the server sends block 1
 * both to the master and to the group, and two ACKs of one block would make a server that answers
 * every ACK send each following block twice.
 */
final class MtftpFetch implements Fetch, Network.DatagramHandler, Network.GroupListener {

    static final int BLOCK_SIZE = 512;

    private enum State { LISTENING, OPENING, MASTER, OVER }

    private final Scheduler scheduler;
    private final Network network;
    private final StormTally tally;
    private final ExpectedFile file;
    private final Inet4Address local;
    private final Inet4Address server;
    private final MtftpChannel channel;
    private final Listener listener;
    private final RetryTimer retry = new RetryTimer();
    private final Scheduler.Timer timer;
    private final BlockSet blocks = new BlockSet();

    private State state = State.LISTENING;
    private Network.Link link;
    private Network.Membership membership;
    private InetSocketAddress master;
    private int acknowledged = -1;

    MtftpFetch(Scheduler scheduler, Network network, StormTally tally, ExpectedFile file, Inet4Address local,
               Inet4Address server, MtftpChannel channel, Listener listener) {
        this.scheduler = scheduler;
        this.network = network;
        this.tally = tally;
        this.file = file;
        this.local = local;
        this.server = server;
        this.channel = channel;
        this.listener = listener;
        this.timer = scheduler.timer(this::expired);
    }

    @Override
    public void start() {
        tally.mtftpFetches++;
        if (file.blocks(BLOCK_SIZE) > 0xffff) {
            fail(file.size() + " bytes are more than MTFTP's 65,535 blocks of 512 bytes");
            return;
        }
        try {
            link = network.open(local, this);
            membership = network.join(channel, this);
        } catch (IOException e) {
            fail("cannot listen to " + channel.group().getHostAddress() + ":" + channel.clientPort() + ": " + e.getMessage());
            return;
        }
        listen(channel.openTimeoutSeconds());
    }

    @Override
    public void abandon() {
        end();
    }

    @Override
    public Inet4Address server() {
        return server;
    }

    @Override
    public ExpectedFile file() {
        return file;
    }

    BlockSet blocks() {
        return blocks;
    }

    @Override
    public boolean acknowledges() {
        return state == State.MASTER;
    }

    @Override
    public void onGroupData(int block, int length, boolean intact) {
        if (state == State.OVER) {
            return;
        }
        if (!received(block, length, intact)) {
            return;
        }
        switch (state) {
            case MASTER -> acknowledge();
            case OPENING -> {
                // Another client's transfer is running: keep listening to it.
                retry.stop();
                listen(channel.reopenDelaySeconds());
            }
            default -> listen(channel.reopenDelaySeconds());
        }
        finishIfComplete();
    }

    @Override
    public void onDatagram(ByteBuffer packet, InetSocketAddress from) {
        if (state == State.OVER) {
            return;
        }
        if (!from.getAddress().equals(server)) {
            tally.strayPackets++;
            return;
        }
        switch (TftpWire.opcode(packet)) {
            case TftpWire.DATA -> unicastData(packet, from);
            case TftpWire.ERROR -> fail("server sent ERROR " + TftpWire.error(packet));
            default -> tally.strayPackets++;
        }
    }

    private void unicastData(ByteBuffer packet, InetSocketAddress from) {
        if (packet.remaining() < 4) {
            tally.strayPackets++;
            return;
        }
        if (state != State.MASTER) {
            // The server answered our open: we acknowledge from now on, to where it sent from.
            state = State.MASTER;
            master = from;
            acknowledged = -1;
            tally.mtftpMasters++;
        } else if (!from.equals(master)) {
            tally.strayPackets++;
            return;
        }
        int block = TftpWire.block(packet);
        ByteBuffer payload = TftpWire.payload(packet);
        if (!received(block, payload.remaining(), file.intact(block, BLOCK_SIZE, payload))) {
            return;
        }
        acknowledge();
        finishIfComplete();
    }

    /** Keeps a block; false when the node failed on it. */
    private boolean received(int block, int length, boolean intact) {
        if (block == 0 || length > BLOCK_SIZE || !intact) {
            fail("block " + block + " (" + length + " bytes) differs from the file");
            return false;
        }
        blocks.add(block, length < BLOCK_SIZE);
        return true;
    }

    private void acknowledge() {
        int ack = blocks.contiguous();
        if (ack == acknowledged) {
            return;
        }
        acknowledged = ack;
        link.send(TftpWire.ack(ack), master);
        timer.at(retry.sent(scheduler.now()));
    }

    private void finishIfComplete() {
        if (state != State.OVER && blocks.complete()) {
            end();
            listener.fetched(file);
        }
    }

    private void listen(int seconds) {
        state = State.LISTENING;
        timer.at(scheduler.now() + TimeUnit.SECONDS.toNanos(seconds));
    }

    private void expired() {
        switch (state) {
            case LISTENING -> open();
            case OPENING -> {
                if (retry.expired()) {
                    fail("no answer to the MTFTP open");
                    return;
                }
                tally.clientRetransmissions++;
                sendOpen();
                timer.at(retry.resent(scheduler.now()));
            }
            case MASTER -> {
                if (retry.expired()) {
                    // The server stopped sending to us: listen, and reopen if nobody else does.
                    retry.stop();
                    master = null;
                    listen(channel.reopenDelaySeconds());
                    return;
                }
                tally.clientRetransmissions++;
                link.send(TftpWire.ack(acknowledged), master);
                timer.at(retry.resent(scheduler.now()));
            }
            default -> {
            }
        }
    }

    private void open() {
        state = State.OPENING;
        tally.mtftpOpens++;
        sendOpen();
        timer.at(retry.sent(scheduler.now()));
    }

    private void sendOpen() {
        link.send(TftpWire.readRequest(file.name()), new InetSocketAddress(server, channel.serverPort()));
    }

    private void fail(String reason) {
        end();
        listener.failed(file, reason);
    }

    private void end() {
        if (state == State.OVER) {
            return;
        }
        state = State.OVER;
        retry.stop();
        timer.cancel();
        if (membership != null) {
            membership.leave();
        }
        if (link != null) {
            link.close();
        }
    }
}

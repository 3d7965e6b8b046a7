package org.diskless.bench.storm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A unicast TFTP download as iPXE's TFTP client does it: an RRQ asking {@code blksize} (iPXE asks
 * 1432) and {@code tsize}, an ACK of the highest block held in sequence for every DATA received
 * (duplicates too, so a lost ACK is made good), and retransmission by {@link RetryTimer}, which
 * gives up after about 15 s without an answer. The server's port is the one its first answer came
 * from; packets from anywhere else are ignored.
 */
final class TftpFetch implements Fetch, Network.DatagramHandler {

    /** RFC 1350's block size, used until an OACK grants another. */
    private static final int DEFAULT_BLOCK_SIZE = 512;

    private final Scheduler scheduler;
    private final Network network;
    private final StormTally tally;
    private final ExpectedFile file;
    private final Inet4Address local;
    private final InetSocketAddress server;
    private final int askedBlockSize;
    private final Listener listener;
    private final RetryTimer retry = new RetryTimer();
    private final Scheduler.Timer timer;
    private final BlockSet blocks = new BlockSet();

    private Network.Link link;
    private InetSocketAddress peer;
    private int blockSize = DEFAULT_BLOCK_SIZE;
    private boolean over;

    TftpFetch(Scheduler scheduler, Network network, StormTally tally, ExpectedFile file, Inet4Address local,
              InetSocketAddress server, int askedBlockSize, Listener listener) {
        this.scheduler = scheduler;
        this.network = network;
        this.tally = tally;
        this.file = file;
        this.local = local;
        this.server = server;
        this.askedBlockSize = askedBlockSize;
        this.listener = listener;
        this.timer = scheduler.timer(this::expired);
    }

    @Override
    public void start() {
        tally.unicastFetches++;
        try {
            link = network.open(local, this);
        } catch (IOException e) {
            fail("cannot open a socket on " + local.getHostAddress() + ": " + e.getMessage());
            return;
        }
        sendRequest();
        timer.at(retry.sent(scheduler.now()));
    }

    @Override
    public void abandon() {
        end();
    }

    @Override
    public void onDatagram(ByteBuffer packet, InetSocketAddress from) {
        if (over) {
            return;
        }
        if (!from.getAddress().equals(server.getAddress()) || peer != null && from.getPort() != peer.getPort()) {
            tally.strayPackets++;
            return;
        }
        switch (TftpWire.opcode(packet)) {
            case TftpWire.OACK -> optionsAcknowledged(packet, from);
            case TftpWire.DATA -> data(packet, from);
            case TftpWire.ERROR -> fail("server sent ERROR " + TftpWire.error(packet));
            default -> tally.strayPackets++;
        }
    }

    private void optionsAcknowledged(ByteBuffer packet, InetSocketAddress from) {
        if (peer != null) {
            tally.strayPackets++; // a repeated OACK: the ACK of block 0 was lost, the timer resends it
            return;
        }
        peer = from;
        Map<String, String> options = TftpWire.options(packet);
        String granted = options.get("blksize");
        if (granted != null) {
            int size = parse(granted);
            if (size < 8 || size > askedBlockSize) {
                fail("server granted blksize " + granted + ", asked " + askedBlockSize);
                return;
            }
            blockSize = size;
        }
        String tsize = options.get("tsize");
        if (tsize != null && parse(tsize) != file.size()) {
            fail("server announced tsize " + tsize + ", the file has " + file.size() + " bytes");
            return;
        }
        acknowledge();
    }

    private void data(ByteBuffer packet, InetSocketAddress from) {
        if (packet.remaining() < 4) {
            tally.strayPackets++;
            return;
        }
        if (peer == null) {
            peer = from; // a server without options answers with DATA 1 at 512 bytes
        }
        int block = TftpWire.block(packet);
        ByteBuffer payload = TftpWire.payload(packet);
        if (block == 0 || payload.remaining() > blockSize) {
            fail("DATA block " + block + " of " + payload.remaining() + " bytes at blksize " + blockSize);
            return;
        }
        if (!file.intact(block, blockSize, payload)) {
            fail("block " + block + " differs from the file");
            return;
        }
        if (!blocks.add(block, payload.remaining() < blockSize)) {
            tally.duplicateData++;
        }
        acknowledge();
        if (blocks.complete()) {
            end();
            listener.fetched(file);
        }
    }

    private void acknowledge() {
        send(TftpWire.ack(blocks.contiguous()), peer);
        timer.at(retry.sent(scheduler.now()));
    }

    private void expired() {
        if (over) {
            return;
        }
        if (retry.expired()) {
            fail(peer == null ? "no answer to the RRQ" : "no DATA after block " + blocks.contiguous());
            return;
        }
        tally.clientRetransmissions++;
        if (peer == null) {
            sendRequest();
        } else {
            send(TftpWire.ack(blocks.contiguous()), peer);
        }
        timer.at(retry.resent(scheduler.now()));
    }

    private void sendRequest() {
        send(TftpWire.readRequest(file.name(), "blksize", Integer.toString(askedBlockSize), "tsize", "0"), server);
    }

    private void send(ByteBuffer packet, InetSocketAddress to) {
        link.send(packet, to);
    }

    private void fail(String reason) {
        end();
        listener.failed(file, reason);
    }

    private void end() {
        if (over) {
            return;
        }
        over = true;
        retry.stop();
        timer.cancel();
        if (link != null) {
            link.close();
        }
    }

    private static int parse(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package org.diskless.tftp.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.diskless.api.boot.BootContext;
import org.diskless.api.files.BootFileContent;
import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpEncoder;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOptionAck;
import org.diskless.tftp.codec.TftpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;

/**
 * Sends a file: an optional OACK, then windows of {@code windowsize} blocks (RFC 7440; 1 is plain
 * RFC 1350 lock-step). Block numbers here count from 1 without limit; on the wire they roll over
 * from 65535 to 0, as tftp-hpa, atftp, curl and PXE ROMs expect.
 */
final class ReadTransfer extends Transfer {

    private static final Logger LOG = LoggerFactory.getLogger(ReadTransfer.class);

    private final BootFileContent content;
    private final BlockSource blocks;
    private boolean awaitingOptionAck;
    /** Highest block the client acknowledged. */
    private volatile long acked;
    /** Highest block sent. */
    private long sent;
    /** The last block, once known (a block shorter than the block size). */
    private long lastBlock = Long.MAX_VALUE;
    private long lastBlockBytes;
    /**
     * The highest block sent more than once (0: the OACK, -1: none). Up to it, copies may be on
     * their way, and the client answers each copy of a block it already holds with an ACK of the
     * last block it holds: such an ACK is no sign of loss, and times no round trip.
     */
    private long resentUpTo = -1;
    /**
     * When the packets being timed went out, and the first of them (0: the OACK): a window from
     * {@link #acked}, timed until the ACK of its last block.
     */
    private long windowSentAt;
    private long timedFrom;
    /**
     * After a retransmission by the timer of packets sent once: the last of them (0: the OACK, -1:
     * none), when the originals went out, and when the first ACK of that block came (0: not yet).
     * A second ACK of it means the client got the originals and then the copies: it was only slow,
     * and the first ACK timed the originals' round trip, which Karn's rule would otherwise never
     * let the estimate see.
     */
    private long suspectBlock = -1;
    private long suspectSentAt;
    private long suspectAnsweredAt;
    /** Blocks read ahead, in order from {@link #aheadFirst}, for the window after the one sent. */
    private final Deque<ByteBuf> ahead = new ArrayDeque<>();
    private long aheadFirst;
    /** The packets of the window being sent, handed to {@link #writer} together. */
    private final List<ByteBuf> window = new ArrayList<>();
    private WindowWriter writer;

    ReadTransfer(Services services, BootContext context, String file, TransferOptions options, int maxRetries,
                 BootFileContent content, BlockSource blocks) {
        super(services, context, file, options, maxRetries);
        this.content = content;
        this.blocks = blocks;
    }

    /**
     * Most bytes of blocks read ahead while the event loop would otherwise wait for the client:
     * a window of 16 blocks of 1468 bytes fits, half of what the benchmark allows a transfer.
     */
    static final int READ_AHEAD_BYTES = 32 * 1024;

    @Override
    protected void begin() {
        writer = new WindowWriter(context.client(), services.maxSegmentPayload().applyAsInt(channel),
                services.registry());
        windowSentAt = now();
        timedFrom = 0;
        if (options.needsOptionAck()) {
            awaitingOptionAck = true;
            send(new TftpOptionAck(options.acknowledged()));
            flush();
        } else {
            sendWindow();
        }
    }

    @Override
    protected void onPacket(TftpPacket packet) {
        if (!(packet instanceof TftpAck ack)) {
            fail(TftpErrorCode.ILLEGAL_OPERATION, "expected an ACK, got " + packet.opcode());
            return;
        }
        if (awaitingOptionAck) {
            if (ack.block() == 0) {
                awaitingOptionAck = false;
                timeRoundTrip(0);
                progress();
                sendWindow();
            }
            return; // anything else is a stray from before the OACK
        }
        long block = unwrap(ack.block());
        if (block < acked || block > sent) {
            return; // stale or not yet sent: ignore, the timer covers real loss
        }
        if (block == acked) {
            if (block == suspectBlock && suspectAnsweredAt != 0) {
                roundTrip(suspectAnsweredAt - suspectSentAt); // the timer resent in vain
                suspectBlock = -1;
            } else if (isLossReport()) {
                resendWindow();
            }
            return;
        }
        if (block == sent) {
            timeRoundTrip(block);
        } else {
            suspectBlock = -1; // a partial ACK: something was missing after all
        }
        acked = block;
        progress();
        if (acked >= lastBlock) {
            finish(true, "");
            return;
        }
        if (block == sent) {
            sendWindow(); // a full window: the next one
        } else if (block <= resentUpTo) {
            // Blocks up to resentUpTo went out twice: this may answer a copy the client already
            // held, while the rest of the window is still on its way. Going back would send those
            // blocks a third time, and every copy would draw one more ACK and window, for the rest
            // of the transfer. The client counts its next window from this ACK: complete it.
            sendWindow();
        } else {
            resendWindow(); // a gap the client reports: go back to it
        }
    }

    /**
     * Sends the window after {@link #acked} again: from the first block the client has not
     * acknowledged, the blocks already sent included.
     */
    private void resendWindow() {
        resent(sent - acked);
        resentUpTo = Math.max(resentUpTo, sent);
        sent = acked;
        sendWindow();
    }

    /**
     * The packets timed were answered up to {@code block}, the last of them: a round trip, unless
     * one of them went twice.
     */
    private void timeRoundTrip(long block) {
        if (timedFrom > resentUpTo) {
            roundTrip(now() - windowSentAt);
        } else if (block == suspectBlock && suspectAnsweredAt == 0) {
            suspectAnsweredAt = now();
        } else {
            suspectBlock = -1;
        }
    }

    /**
     * Whether a repeated ACK of the last acknowledged block reports a loss worth answering now
     * rather than at the timeout. In lock-step (windowsize 1) never: answering duplicates is the
     * sorcerer's apprentice bug, every block sent twice from then on. With a window, an RFC 7440
     * client repeats its ACK when the window's first block went missing. But it also answers a
     * copy of a block it already holds with an ACK of the last block it holds in order, which
     * is the same ACK once the copy arrives after it acknowledged its window: answered, every
     * spurious resend would send the next window twice, and the copies would draw ACKs that send
     * the one after twice again, for the rest of the transfer. So only an ACK no copy can have
     * drawn is taken for a loss: one of a block that was never sent twice, nor any before it. A
     * copy goes out before anything sent after it, and the client answers it with the last block
     * it holds in order, so no copy can draw an ACK of a later block. Any other is left to the
     * timer; answered once, an ACK is a block that went twice.
     */
    private boolean isLossReport() {
        return options.windowSize() > 1 && acked < sent && acked > resentUpTo;
    }

    @Override
    protected void retransmit() {
        if (timedFrom > resentUpTo) {
            suspectBlock = awaitingOptionAck ? 0 : sent;
            suspectSentAt = windowSentAt;
            suspectAnsweredAt = 0;
        } else {
            suspectBlock = -1; // sent more than twice: no telling which copy an ACK answers
        }
        if (awaitingOptionAck) {
            resent(1);
            resentUpTo = Math.max(resentUpTo, 0);
            send(new TftpOptionAck(options.acknowledged()));
            flush();
        } else {
            resendWindow();
        }
    }

    private void sendWindow() {
        if (sent == acked) {
            windowSentAt = now();
            timedFrom = acked + 1;
        }
        while (sent - acked < options.windowSize() && sent < lastBlock) {
            long block = sent + 1;
            ByteBuf packet = takeAhead(block);
            if (packet == null && (packet = readBlock(block)) == null) {
                window.forEach(ByteBuf::release); // the transfer failed: none of them goes out
                window.clear();
                return;
            }
            int n = packet.readableBytes() - TftpEncoder.DATA_HEADER_SIZE;
            if (n < options.blockSize()) {
                lastBlock = block;
                lastBlockBytes = n;
            }
            sent = block;
            window.add(packet);
            services.registry().bytesSent.add(n);
        }
        boolean loopWouldWait = services.loopsWaitForClients();
        writer.write(channel, window, loopWouldWait);
        window.clear();
        flush();
        readAhead(loopWouldWait);
    }

    /**
     * Reads what comes after the window while the client is busy with it, so its ACK is answered
     * with a send and no file read. While the event loop would otherwise wait for the client, that
     * is the next window, up to {@link #READ_AHEAD_BYTES} (one transfer at 1468-byte blocks, lab:
     * windows of 16 about 20 % faster); when other transfers need the loop, one block, so that
     * memory grows with transfers by a block each, not a window each.
     */
    private void readAhead(boolean loopWouldWait) {
        long next = sent + 1;
        if (sent >= lastBlock || isFinished()) {
            return;
        }
        if (aheadFirst != next) {
            discardAhead();
            aheadFirst = next;
        }
        int wanted = loopWouldWait
                ? Math.max(1, Math.min(options.windowSize(), READ_AHEAD_BYTES / options.blockSize())) : 1;
        while (ahead.size() < wanted && !endsFile(ahead.peekLast())) {
            ByteBuf packet = readBlock(aheadFirst + ahead.size());
            if (packet == null) {
                return; // the transfer failed, and released what was read
            }
            ahead.add(packet);
        }
    }

    /** Whether {@code packet} (null: none) is the file's last block: shorter than the block size. */
    private boolean endsFile(ByteBuf packet) {
        return packet != null && packet.readableBytes() - TftpEncoder.DATA_HEADER_SIZE < options.blockSize();
    }

    private ByteBuf takeAhead(long block) {
        if (ahead.isEmpty() || aheadFirst != block) {
            return null;
        }
        aheadFirst++;
        return ahead.poll();
    }

    private void discardAhead() {
        ahead.forEach(ByteBuf::release);
        ahead.clear();
    }

    /** Block {@code block} in wire format, or null after failing the transfer. */
    private ByteBuf readBlock(long block) {
        ByteBuf packet = channel.alloc().directBuffer(TftpEncoder.DATA_HEADER_SIZE + options.blockSize());
        TftpEncoder.writeDataHeader(packet, (int) (block & 0xFFFF));
        try {
            blocks.read(block, packet);
            return packet;
        } catch (IOException | RuntimeException e) {
            packet.release();
            services.throttle().warn(LOG, "read block", "Cannot read {} for {}: {}", file, context.client(),
                    e.getMessage());
            fail(TftpErrorCode.NOT_DEFINED, "cannot read " + file);
            return null;
        }
    }

    /** The block in (acked - 65535, acked + 65535] whose low 16 bits the client sent. */
    private long unwrap(int wire) {
        long candidate = (acked & ~0xFFFFL) | wire;
        if (candidate < acked - 0x8000) {
            candidate += 0x10000;
        } else if (candidate > acked + 0x8000) {
            candidate -= 0x10000;
        }
        return candidate;
    }

    @Override
    long bytesDone() {
        if (acked >= lastBlock) {
            return (lastBlock - 1) * (long) options.blockSize() + lastBlockBytes;
        }
        return acked * options.blockSize();
    }

    @Override
    long totalBytes() {
        return blocks.transferSize();
    }

    @Override
    TransferView.Direction direction() {
        return TransferView.Direction.READ;
    }

    @Override
    protected void release(boolean ok) {
        discardAhead();
        blocks.release();
        try {
            content.close();
        } catch (IOException e) {
            LOG.debug("Closing {} failed", file, e);
        }
    }
}

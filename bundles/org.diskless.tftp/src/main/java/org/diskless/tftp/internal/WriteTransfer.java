package org.diskless.tftp.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;

import org.diskless.api.boot.BootContext;
import org.diskless.api.files.BootFileUpload;
import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpData;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOptionAck;
import org.diskless.tftp.codec.TftpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives an upload into a {@link BootFileUpload}: nothing appears under the file's name until
 * the last block is in and flushed, and an aborted upload leaves nothing behind.
 */
final class WriteTransfer extends Transfer {

    private static final Logger LOG = LoggerFactory.getLogger(WriteTransfer.class);

    private final BootFileUpload upload;
    private final long maxSize;
    /** Blocks received in order so far (the next expected is this + 1). */
    private long received;
    private long receivedSinceAck;
    private volatile long bytes;

    WriteTransfer(Services services, BootContext context, String file, TransferOptions options, int maxRetries,
                  BootFileUpload upload, long maxSize) {
        super(services, context, file, options, maxRetries);
        this.upload = upload;
        this.maxSize = maxSize;
    }

    @Override
    protected void begin() {
        sendAcknowledgement();
    }

    @Override
    protected void onPacket(TftpPacket packet) {
        if (!(packet instanceof TftpData data)) {
            fail(TftpErrorCode.ILLEGAL_OPERATION, "expected DATA, got " + packet.opcode());
            return;
        }
        if (data.block() != ((received + 1) & 0xFFFF)) {
            // A repeat or a block after a gap: tell the client where we are, once per such packet.
            sendAcknowledgement();
            return;
        }
        int length = data.content().readableBytes();
        if (length > options.blockSize()) {
            fail(TftpErrorCode.ILLEGAL_OPERATION, "block of " + length + " bytes exceeds blksize "
                    + options.blockSize());
            return;
        }
        if (bytes + length > maxSize) {
            fail(TftpErrorCode.DISK_FULL, "upload larger than the " + maxSize + " bytes allowed");
            return;
        }
        try {
            upload.write(data.content().nioBuffer());
        } catch (IOException e) {
            services.throttle().warn(LOG, "write upload", "Cannot write upload {} from {}: {}", file,
                    context.client(), e.getMessage());
            fail(TftpErrorCode.DISK_FULL, "cannot store " + file);
            return;
        }
        received++;
        receivedSinceAck++;
        bytes += length;
        services.registry().bytesReceived.add(length);
        progress();
        if (length < options.blockSize()) {
            complete();
        } else if (receivedSinceAck >= options.windowSize()) {
            sendAcknowledgement();
        }
    }

    private void complete() {
        try {
            upload.commit();
        } catch (FileAlreadyExistsException e) {
            fail(TftpErrorCode.FILE_EXISTS, file + " was created meanwhile");
            return;
        } catch (IOException e) {
            services.throttle().warn(LOG, "store upload", "Cannot store upload {} from {}: {}", file,
                    context.client(), e.getMessage());
            fail(TftpErrorCode.DISK_FULL, "cannot store " + file);
            return;
        }
        sendAcknowledgement();
        services.throttle().info(LOG, "upload received", "Received {} ({} bytes) from {}", file, bytes,
                context.client());
        // RFC 1350 dallying: the final ACK may be lost, so the channel stays open for one timeout
        // to answer a repeated last block.
        finish(true, "", options.timeout());
    }

    @Override
    protected void onPacketAfterFinish(TftpPacket packet) {
        if (packet instanceof TftpData data && data.block() == (received & 0xFFFF)) {
            send(new TftpAck(data.block()));
            flush();
        }
    }

    @Override
    protected void retransmit() {
        resent(1);
        sendAcknowledgement();
    }

    private void sendAcknowledgement() {
        receivedSinceAck = 0;
        if (received == 0 && options.needsOptionAck()) {
            send(new TftpOptionAck(options.acknowledged()));
        } else {
            send(new TftpAck((int) (received & 0xFFFF)));
        }
        flush();
    }

    @Override
    long bytesDone() {
        return bytes;
    }

    @Override
    long totalBytes() {
        return options.announcedSize();
    }

    @Override
    TransferView.Direction direction() {
        return TransferView.Direction.WRITE;
    }

    @Override
    protected void release(boolean ok) {
        try {
            upload.close(); // discards the upload unless it was committed
        } catch (IOException e) {
            services.throttle().warn(LOG, "discard upload", "Cannot discard the partial upload of {}: {}", file,
                    e.getMessage());
        }
    }
}

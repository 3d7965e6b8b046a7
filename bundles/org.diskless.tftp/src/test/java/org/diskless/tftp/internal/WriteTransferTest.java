package org.diskless.tftp.internal;

import static org.diskless.tftp.internal.TransferHarness.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;

import org.diskless.api.files.BootFileUpload;
import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpData;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOptionAck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;

class WriteTransferTest {

    private final TransferHarness harness = new TransferHarness();
    private final RecordingUpload upload = new RecordingUpload();

    @AfterEach
    void released() {
        harness.drain();
        harness.channel.finishAndReleaseAll();
    }

    @Test
    void blocksAreAcknowledgedAndTheUploadCommittedAfterTheShortLastBlock() throws Exception {
        start(Map.of(), 1000);
        assertEquals(0, harness.sent(TftpAck.class).block());
        harness.receive(data(1, 512));
        assertEquals(1, harness.sent(TftpAck.class).block());
        assertFalse(upload.committed);
        harness.receive(data(2, 100));
        assertEquals(2, harness.sent(TftpAck.class).block());
        assertTrue(upload.committed);
        assertEquals(612, upload.written.size());
        assertEquals(1, harness.registry.completed.sum());
    }

    @Test
    void aRepeatedLastBlockIsAcknowledgedAgainWhileTheTransferDallies() throws Exception {
        start(Map.of(), 1000);
        harness.sent(TftpAck.class);
        harness.receive(data(1, 10));
        harness.sent(TftpAck.class);
        harness.receive(data(1, 10)); // our ACK was lost
        assertEquals(1, harness.sent(TftpAck.class).block());
        assertEquals(10, upload.written.size(), "the repeat is not written twice");
        assertTrue(harness.channel.isOpen());
        harness.elapse(Duration.ofSeconds(2));
        assertFalse(harness.channel.isOpen());
    }

    @Test
    void aSilentClientIsSentTheLastAckAgainAfterTheTimeoutAndTheResendCounted() throws Exception {
        start(Map.of(), 1000);
        harness.sent(TftpAck.class);
        harness.receive(data(1, 512));
        harness.sent(TftpAck.class);
        harness.elapse(Duration.ofMillis(999));
        assertEquals(0, harness.drain(), "an upload waits the whole timeout");
        harness.elapse(Duration.ofMillis(1));
        assertEquals(1, harness.sent(TftpAck.class).block());
        assertEquals(1, harness.registry.active().get(0).view().resent());
        assertEquals(1, harness.registry.retransmissions.sum());
    }

    @Test
    void optionsAreAcknowledgedBeforeTheFirstBlockAndWindowsAckedAtTheirEnd() throws Exception {
        start(Map.of("blksize", "16", "windowsize", "2"), 1000);
        assertEquals("2", harness.sent(TftpOptionAck.class).options().get("windowsize"));
        harness.receive(data(1, 16));
        assertEquals(0, harness.drain(), "no ACK in the middle of a window");
        harness.receive(data(2, 16));
        assertEquals(2, harness.sent(TftpAck.class).block());
    }

    @Test
    void anOutOfOrderBlockIsAnsweredWithTheLastBlockReceivedInOrder() throws Exception {
        start(Map.of(), 1000);
        harness.sent(TftpAck.class);
        harness.receive(data(1, 512));
        harness.sent(TftpAck.class);
        harness.receive(data(3, 512));
        assertEquals(1, harness.sent(TftpAck.class).block());
        assertEquals(512, upload.written.size());
    }

    @Test
    void anUploadLargerThanAllowedIsRefusedAndDiscarded() throws Exception {
        start(Map.of(), 600);
        harness.sent(TftpAck.class);
        harness.receive(data(1, 512));
        harness.sent(TftpAck.class);
        harness.receive(data(2, 512));
        assertEquals(TftpErrorCode.DISK_FULL, harness.sent(TftpError.class).errorCode());
        assertFalse(upload.committed);
        assertTrue(upload.closed, "the partial upload is discarded");
    }

    @Test
    void anAbortedUploadIsDiscarded() throws Exception {
        start(Map.of(), 1000);
        harness.sent(TftpAck.class);
        harness.receive(data(1, 512));
        harness.receive(new TftpError(TftpErrorCode.NOT_DEFINED, "user cancelled"));
        assertFalse(upload.committed);
        assertTrue(upload.closed);
        assertEquals(1, harness.registry.failed.sum());
    }

    private void start(Map<String, String> asked, long maxSize) throws Exception {
        TransferOptions options = TransferOptions.negotiate(asked, TftpSettings.defaults(), true, -1);
        harness.start(new WriteTransfer(harness.services, CONTEXT, "up.bin", options, TftpSettings.DEFAULT_RETRIES,
                upload, maxSize));
    }

    private static TftpData data(int block, int size) {
        return new TftpData(block, Unpooled.wrappedBuffer(new byte[size]));
    }

    private static final class RecordingUpload implements BootFileUpload {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean committed;
        boolean closed;

        @Override
        public String path() {
            return "up.bin";
        }

        @Override
        public void write(ByteBuffer src) {
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            written.writeBytes(bytes);
        }

        @Override
        public long size() {
            return written.size();
        }

        @Override
        public void commit() {
            committed = true;
        }

        @Override
        public void close() throws IOException {
            closed = true;
        }
    }
}

package org.diskless.tftp.internal;

import static org.diskless.tftp.internal.TransferHarness.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import org.diskless.api.boot.BootEvent;
import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpData;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOptionAck;
import org.diskless.tftp.codec.TftpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.SegmentedDatagramPacket;

class ReadTransferTest {

    /** One transfer alone on one event loop; {@link #onABusyServer()} swaps in a loaded one. */
    private TransferHarness harness = new TransferHarness();
    private MemoryContent content;

    @AfterEach
    void released() {
        harness.drain();
        harness.channel.finishAndReleaseAll();
    }

    @Test
    void lockStepSendsEachBlockAfterTheAckOfThePreviousAndEndsWithAShortBlock() throws Exception {
        byte[] file = random(1300);
        start(file, Map.of());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (int block = 1; block <= 3; block++) {
            TftpData data = harness.sent(TftpData.class);
            assertEquals(block, data.block());
            received.write(bytes(data));
            assertEquals(0, harness.drain(), "lock-step sends one block at a time");
            harness.receive(new TftpAck(block));
        }
        assertArrayEquals(file, received.toByteArray());
        assertFinished(true);
    }

    @Test
    void aFileThatFillsItsLastBlockEndsWithAnEmptyBlock() throws Exception {
        start(random(1024), Map.of());
        harness.sent(TftpData.class).release();
        harness.receive(new TftpAck(1));
        harness.sent(TftpData.class).release();
        harness.receive(new TftpAck(2));
        TftpData last = harness.sent(TftpData.class);
        assertEquals(3, last.block());
        assertEquals(0, last.content().readableBytes());
        last.release();
        harness.receive(new TftpAck(3));
        assertFinished(true);
    }

    @Test
    void optionsAreAcknowledgedFirstAndDataWaitsForAck0() throws Exception {
        start(random(100), Map.of("blksize", "1468", "tsize", "0"));
        TftpOptionAck oack = harness.sent(TftpOptionAck.class);
        assertEquals("1468", oack.options().get("blksize"));
        assertEquals(0, harness.drain());
        harness.receive(new TftpAck(0));
        TftpData data = harness.sent(TftpData.class);
        assertEquals(100, data.content().readableBytes());
        data.release();
    }

    @Test
    void aWindowGoesOutWholeAndTheNextAfterItsLastBlockIsAcknowledged() throws Exception {
        start(random(512 * 10), Map.of("windowsize", "4"));
        harness.sent(TftpOptionAck.class);
        harness.receive(new TftpAck(0));
        assertEquals(4, harness.drain());
        harness.receive(new TftpAck(4));
        TftpData fifth = harness.sent(TftpData.class);
        assertEquals(5, fifth.block());
        fifth.release();
        assertEquals(3, harness.drain());
    }

    @Test
    void anAckInsideTheWindowResumesRightAfterIt() throws Exception {
        start(random(512 * 10), Map.of("windowsize", "4"));
        harness.sent(TftpOptionAck.class);
        harness.receive(new TftpAck(0));
        harness.drain();
        harness.receive(new TftpAck(2)); // block 3 went missing
        TftpData resent = harness.sent(TftpData.class);
        assertEquals(3, resent.block());
        resent.release();
        assertEquals(3, harness.drain(), "a whole window from the gap");
    }

    @Test
    void aWindowResentAfterItsLastBlockWasLostCostsOneWindowNotACopyOfEveryLaterBlock() throws Exception {
        // The client already holds the resent window's first blocks: each copy draws an ACK while
        // the rest of that window is still on its way.
        assertEquals(400 + 4, datagramsForAClientOfWindows4(400, 8));
    }

    @Test
    void aBlockLostInsideAWindowIsSentAgainAtTheClientsFirstReport() throws Exception {
        assertEquals(400 + 3, datagramsForAClientOfWindows4(400, 6));
    }

    @Test
    void aResentBlockLostAgainIsSentAThirdTime() throws Exception {
        // Datagram 8 is block 8; the timer sends blocks 5-8 again as datagrams 9-12.
        assertEquals(400 + 4 + 4, datagramsForAClientOfWindows4(400, 8, 12));
    }

    /**
     * DATA packets the server sends while a {@link WindowedClient} takes {@code blocks} blocks in
     * windows of 4, each datagram 0.1 ms on its way, in order, and the datagrams numbered
     * {@code lost} (from 1) lost.
     */
    private int datagramsForAClientOfWindows4(int blocks, Integer... lost) throws Exception {
        byte[] file = random(512 * blocks - 100);
        startWindowsOf4(file);
        WindowedClient client = new WindowedClient(4, 512);
        int datagrams = 0;
        for (int step = 0; step < 100_000 && !client.done(); step++) {
            TftpData data = (TftpData) harness.next();
            if (data == null) {
                harness.elapse(Duration.ofMillis(1)); // nothing on its way: the server's timer
                continue;
            }
            harness.elapse(Duration.ofNanos(100_000));
            if (List.of(lost).contains(++datagrams)) {
                data.release();
                continue;
            }
            client.receive(data).ifPresent(harness::receive);
        }
        assertArrayEquals(file, client.received());
        assertFinished(true);
        return datagrams;
    }

    @Test
    void duplicateAcksInLockStepNeverTriggerASecondCopy() throws Exception {
        start(random(512 * 10), Map.of());
        harness.sent(TftpData.class).release();
        harness.receive(new TftpAck(1));
        harness.sent(TftpData.class).release();
        // The sorcerer's apprentice: a delayed copy of ACK 1 must not make block 2 go out twice.
        harness.receive(new TftpAck(1));
        harness.receive(new TftpAck(1));
        assertEquals(0, harness.drain());
    }

    @Test
    void silenceRetransmitsTheUnacknowledgedBlockAfterTheTimeout() throws Exception {
        start(random(2000), Map.of());
        harness.sent(TftpData.class).release();
        harness.elapse(Duration.ofMillis(500));
        assertEquals(0, harness.drain(), "nothing before the timeout");
        harness.elapse(Duration.ofMillis(600));
        TftpData again = harness.sent(TftpData.class);
        assertEquals(1, again.block());
        again.release();
        assertEquals(1, harness.registry.retransmissions.sum());
    }

    @Test
    void aLossEarlyInTheTransferIsRepairedAfterRoundTripsNotAfterTheFirstTimeout() throws Exception {
        startWindowsOf4(random(512 * 20));
        harness.drain();
        harness.elapse(Duration.ofMillis(1));
        harness.receive(new TftpAck(4));
        harness.drain(); // blocks 5-8, and the ACK of the window is lost
        harness.elapse(Duration.ofNanos(RetransmissionTimeout.FLOOR_NANOS));
        TftpData again = harness.sent(TftpData.class);
        assertEquals(5, again.block(), "resent after the floor, long before the 1 s timeout");
        again.release();
    }

    // ---------------------------------------------------------------- the retransmission timer

    @Test
    void aClientThatAnsweredInAMillisecondIsStillGivenTheFloorBeforeABlockGoesAgain() throws Exception {
        start(random(512 * 40), Map.of());
        answerBlocksAfter(1, 10, Duration.ofMillis(1));
        harness.sent(TftpData.class).release(); // block 11, lost
        harness.elapse(Duration.ofNanos(RetransmissionTimeout.FLOOR_NANOS).minusMillis(1));
        assertEquals(0, harness.drain(), "a loaded client may take tens of milliseconds: that is no loss yet");
        harness.elapse(Duration.ofMillis(1));
        TftpData again = harness.sent(TftpData.class);
        assertEquals(11, again.block(), "a lost block is sent again once the floor has passed");
        again.release();
    }

    @Test
    void eachRetransmissionDoublesTheWaitUpToTheTimeout() throws Exception {
        start(random(512 * 40), Map.of());
        answerBlocksAfter(1, 10, Duration.ofMillis(1));
        harness.sent(TftpData.class).release(); // block 11; the client goes quiet
        long floor = RetransmissionTimeout.FLOOR_NANOS / 1_000_000;
        assertEquals(List.of(floor, 3 * floor, 7 * floor, 15 * floor, 15 * floor + 1000),
                resendTimesInMillis(16 * floor + 1000), "waits of 1, 2, 4 and 8 floors, then the 1 s timeout");
    }

    @Test
    void anAckOfABlockSentTwiceKeepsTheBackOffUntilARoundTripIsMeasuredAgain() throws Exception {
        start(random(512 * 40), Map.of());
        answerBlocksAfter(1, 10, Duration.ofMillis(1));
        long floor = RetransmissionTimeout.FLOOR_NANOS / 1_000_000;
        harness.sent(TftpData.class).release(); // block 11, lost
        harness.elapse(Duration.ofMillis(floor));
        harness.sent(TftpData.class).release(); // block 11 again, the wait doubled
        harness.elapse(Duration.ofMillis(1));
        harness.receive(new TftpAck(11)); // a millisecond after the copy: no round trip of block 11
        harness.sent(TftpData.class).release(); // block 12, lost
        assertEquals(List.of(2 * floor), resendTimesInMillis(3 * floor),
                "the wait stays doubled: the ACK answered a block that went twice, which times nothing");
        harness.receive(new TftpAck(12));
        answerBlocksAfter(13, 13, Duration.ofMillis(1)); // block 13 went once: a round trip
        harness.sent(TftpData.class).release(); // block 14, lost
        assertEquals(List.of(floor), resendTimesInMillis(floor + 1), "a round trip ends the back-off");
    }

    @Test
    void aClientThatIsSometimesSixTimesSlowerIsResentToOnlyUntilTheEstimateHasSeenItOnce() throws Exception {
        // Usually 100 ms, every eighth block 600 ms. The first slow answer comes after the timer
        // sent its block again; the client answers both copies, which tells the estimate how slow
        // the first one was. After that no block goes twice. (A timer of four smoothed round trips
        // resent every slow block, and timed the next round trip from the copy.)
        int blocks = 64;
        start(random(512 * blocks - 1), Map.of());
        List<Integer> resent = new ArrayList<>();
        for (int block = 1; block <= blocks; block++) {
            TftpData data = harness.sent(TftpData.class);
            assertEquals(block, data.block());
            data.release();
            int copies = 0;
            for (int waited = 0; waited < (block % 8 == 0 ? 600 : 100); waited += 5) {
                harness.elapse(Duration.ofMillis(5));
                copies += harness.drain();
            }
            harness.receive(new TftpAck(block)); // the answer to the block
            if (copies > 0 && block < blocks) {
                resent.add(block);
                harness.receive(new TftpAck(block)); // and atftp's extra ACK for the copies
            }
        }
        assertFinished(true);
        assertEquals(List.of(8), resent, "only the first slow answer found the timer too quick");
    }

    @Test
    void resendsAreCountedInBlocksForTheTransferAndTheServer() throws Exception {
        startWindowsOf4(random(512 * 20));
        assertEquals(4, harness.drain());
        harness.elapse(Duration.ofNanos(RetransmissionTimeout.FLOOR_NANOS)); // the window's ACK is lost
        assertEquals(4, harness.drain(), "the window from its first block");
        assertEquals(4, harness.registry.active().get(0).view().resent(), "what tftp:transfers shows");
        assertEquals(4, harness.registry.retransmissions.sum(), "what tftp:stats shows");
    }

    @Test
    void aLateDuplicateAckOfAWindowSentTwiceDoesNotSendTheNextWindowTwice() throws Exception {
        startWindowsOf4(random(512 * 20));
        assertEquals(4, harness.drain()); // blocks 1-4; the client is slow to acknowledge them
        harness.elapse(Duration.ofNanos(RetransmissionTimeout.FLOOR_NANOS));
        assertEquals(4, harness.drain(), "the timer sends blocks 1-4 again");
        harness.elapse(Duration.ofNanos(2 * RetransmissionTimeout.FLOOR_NANOS));
        assertEquals(4, harness.drain(), "and again, a doubled wait later");
        harness.elapse(Duration.ofMillis(2));
        harness.receive(new TftpAck(4)); // the client's ACK of the first blocks 1-4 it got
        assertEquals(4, harness.drain(), "blocks 5-8");
        for (int copy = 1; copy <= 2; copy++) {
            harness.elapse(Duration.ofMillis(2));
            harness.receive(new TftpAck(4)); // the client got copies of 1-4 and says again what it holds
            assertEquals(0, harness.drain(), "blocks 5-8 are on their way: the echo of a copy is no loss report");
        }
        harness.elapse(Duration.ofMillis(2));
        harness.receive(new TftpAck(8));
        assertEquals(4, harness.drain(), "blocks 9-12, once");
        assertEquals(8, harness.registry.retransmissions.sum());
    }

    @Test
    void whenAWindowsFirstBlockIsLostTheClientsRepeatedAckSendsItAgainAtOnce() throws Exception {
        startWindowsOf4(random(512 * 20));
        harness.drain();
        harness.elapse(Duration.ofMillis(1));
        harness.receive(new TftpAck(4));
        assertEquals(4, harness.drain()); // blocks 5-8, and block 5 is lost
        harness.elapse(Duration.ofMillis(1));
        harness.receive(new TftpAck(4)); // block 6 came after 4: a gap
        TftpData again = harness.sent(TftpData.class);
        assertEquals(5, again.block(), "no timer: the report is answered at once");
        again.release();
        assertEquals(3, harness.drain());
        harness.receive(new TftpAck(4));
        assertEquals(0, harness.drain(), "a report is answered once; the timer covers the rest");
    }

    @Test
    void aClientThatStaysSilentIsGivenUpAfterTheRetries() throws Exception {
        start(random(2000), Map.of());
        harness.drain();
        for (int i = 0; i < TftpSettings.DEFAULT_RETRIES; i++) {
            harness.elapse(Duration.ofSeconds(1));
            assertEquals(1, harness.drain(), "retry " + (i + 1));
        }
        harness.elapse(Duration.ofSeconds(1));
        TftpError error = harness.sent(TftpError.class);
        assertEquals(TftpErrorCode.NOT_DEFINED, error.errorCode());
        assertFinished(false);
    }

    @Test
    void anOptionAckNeverAnsweredIsGivenUpOnTheServersTimeoutWhateverTimeoutTheClientAsked() throws Exception {
        start(random(2000), Map.of("timeout", "255", "tsize", "0"));
        assertEquals("255", harness.sent(TftpOptionAck.class).options().get("timeout"));
        for (int i = 0; i < TftpSettings.DEFAULT_RETRIES; i++) {
            harness.elapse(Duration.ofSeconds(TftpSettings.DEFAULT_TIMEOUT_SECONDS));
            harness.sent(TftpOptionAck.class);
        }
        harness.elapse(Duration.ofSeconds(TftpSettings.DEFAULT_TIMEOUT_SECONDS));
        assertEquals(TftpErrorCode.NOT_DEFINED, harness.sent(TftpError.class).errorCode());
        assertFinished(false);
    }

    @Test
    void onceTheClientHasAnsweredItsOwnTimeoutAppliesToGivingUp() throws Exception {
        start(random(2000), Map.of("timeout", "5"));
        harness.sent(TftpOptionAck.class);
        harness.receive(new TftpAck(0));
        for (int second = 1; second < 5 * (TftpSettings.DEFAULT_RETRIES + 1); second++) {
            harness.elapse(Duration.ofSeconds(1));
            harness.drain();
            assertTrue(harness.channel.isOpen(), "still waiting for the client after " + second + " s");
        }
        harness.elapse(Duration.ofSeconds(5)); // the check comes with the next retransmission, a timeout apart at most
        harness.drain();
        assertFinished(false);
    }

    @Test
    void blockNumbersRollOverPast65535() throws Exception {
        start(new byte[8 * 65537], Map.of("blksize", "8", "windowsize", "64"));
        harness.sent(TftpOptionAck.class);
        long acked = 0;
        harness.receive(new TftpAck(0));
        while (acked < 65540) {
            int window = harness.drain();
            acked += window;
            harness.receive(new TftpAck((int) (acked & 0xFFFF)));
            if (!harness.channel.isOpen()) {
                break;
            }
        }
        // 65537 full blocks and one empty block: block 65538 is wire block 2.
        assertEquals(65538, acked);
        assertFinished(true);
    }

    @Test
    void theClientsErrorEndsTheTransferSilently() throws Exception {
        start(random(2000), Map.of("tsize", "0"));
        harness.sent(TftpOptionAck.class);
        harness.receive(new TftpError(TftpErrorCode.OPTION_REFUSED, "tsize probe done"));
        assertEquals(0, harness.drain(), "an error is never answered with an error");
        assertFinished(false);
    }

    @Test
    void aPacketThatIsNoAckEndsTheTransferWithIllegalOperation() throws Exception {
        start(random(2000), Map.of());
        harness.sent(TftpData.class).release();
        harness.receive(TftpRequest.read("other", "octet", Map.of()));
        assertEquals(TftpErrorCode.ILLEGAL_OPERATION, harness.sent(TftpError.class).errorCode());
        assertFinished(false);
    }

    @Test
    void namesAndMessagesFromTheClientAreEscapedAndCappedWhereverTheyAreShown() throws Exception {
        content = new MemoryContent(random(2000));
        TransferOptions options = TransferOptions.negotiate(Map.of(), TftpSettings.defaults(), false, 2000);
        ReadTransfer transfer = new ReadTransfer(harness.services, CONTEXT, "\u001b[2J" + "n".repeat(3000), options,
                TftpSettings.DEFAULT_RETRIES, content, new OctetBlocks(content, options.blockSize()));
        harness.start(transfer);
        harness.sent(TftpData.class).release();
        String shown = transfer.view().file(); // what tftp:transfers prints
        assertFalse(shown.contains("\u001b"), shown);
        assertTrue(shown.length() <= NetworkText.MAX_CHARS + 20, shown.length() + " characters");

        harness.receive(new TftpError(TftpErrorCode.NOT_DEFINED, "\u001b]0;owned\u0007" + "m".repeat(3000)));
        String detail = harness.events.get(harness.events.size() - 1).detail(); // what boot:status prints
        assertFalse(detail.contains("\u001b") || detail.contains("\u0007"), detail);
        assertTrue(detail.length() < 400, detail.length() + " characters");
    }

    @Test
    void finishedTransfersReportTheirBytesToTheTimeline() throws Exception {
        start(random(700), Map.of());
        harness.sent(TftpData.class).release();
        harness.receive(new TftpAck(1));
        harness.sent(TftpData.class).release();
        harness.receive(new TftpAck(2));
        BootEvent last = harness.events.get(harness.events.size() - 1);
        assertEquals(BootEvent.Kind.FILE_SENT, last.kind());
        assertEquals(700, last.bytes());
        assertEquals("file.bin", last.detail());
    }

    @Test
    void whereTheKernelSegmentsABusyServersWindowLeavesAsOneTrainThatCutsIntoTheSameDatagrams() throws Exception {
        onABusyServer();
        byte[] file = random(512 * 7 + 100);
        startWindowsOf8WhereTheKernelMakesTrains(file);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        receiveBlocks(1, 8, received);
        assertEquals(List.of(8), harness.trainLengths, "seven full blocks and the short last one in one train");
        assertEquals(1, harness.registry.trainsSent.sum());
        assertArrayEquals(file, received.toByteArray());
        harness.receive(new TftpAck(8));
        assertFinished(true);
    }

    @Test
    void aTransferAloneOnItsLoopSendsAWindowsFirstBlockAheadOfTheTrainSoTheClientWakesSooner() throws Exception {
        byte[] file = random(512 * 15 + 100);
        startWindowsOf8WhereTheKernelMakesTrains(file);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Object lead = harness.channel.outboundMessages().peek();
        assertFalse(lead instanceof SegmentedDatagramPacket, "block 1 is a datagram of its own");
        receiveBlocks(1, 8, received);
        assertEquals(List.of(7), harness.trainLengths, "blocks 2 to 8 follow in one train");
        harness.receive(new TftpAck(8));
        receiveBlocks(9, 16, received);
        assertEquals(List.of(7, 7), harness.trainLengths, "every window, the short last block riding in the train");
        assertArrayEquals(file, received.toByteArray());
        harness.receive(new TftpAck(16));
        assertFinished(true);
    }

    @Test
    void aTransferAloneOnItsLoopReadsTheNextWindowWhileTheClientHoldsThisOne() throws Exception {
        byte[] file = random(512 * 20 + 7);
        TreeSet<Long> read = startRecordingReads(file, Map.of("windowsize", "8"));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        receiveBlocks(1, 8, received);
        assertEquals(16L, read.last(), "blocks 9 to 16 are read before the ACK of 8 comes");
        harness.receive(new TftpAck(8));
        receiveBlocks(9, 16, received);
        assertEquals(21L, read.last(), "read ahead stops at the file's last block, 21");
        harness.receive(new TftpAck(16));
        receiveBlocks(17, 21, received);
        assertArrayEquals(file, received.toByteArray());
        harness.receive(new TftpAck(21));
        assertFinished(true);
    }

    @Test
    void readAheadHoldsAtMostItsByteBudgetAndOnABusyServerOneBlock() throws Exception {
        TreeSet<Long> read = startRecordingReads(random(8192 * 30), Map.of("windowsize", "8", "blksize", "8192"));
        assertEquals(8, harness.drain());
        assertEquals(8L + ReadTransfer.READ_AHEAD_BYTES / 8192, read.last(), "32 KiB of 8 KiB blocks: 4");
        harness.channel.finishAndReleaseAll();

        onABusyServer();
        read = startRecordingReads(random(512 * 30), Map.of("windowsize", "8"));
        assertEquals(8, harness.drain());
        assertEquals(9L, read.last(), "one block past the window");
    }

    @Test
    void blocksLargerThanTheLinkCarriesInOneDatagramLeaveOneByOne() throws Exception {
        harness.maxSegmentPayload = 1472;
        start(random(2048 * 8), Map.of("windowsize", "4", "blksize", "2048"));
        harness.sent(TftpOptionAck.class);
        harness.receive(new TftpAck(0));
        assertEquals(4, harness.drain());
        assertEquals(List.of(), harness.trainLengths);
    }

    @Test
    void aTrainTheKernelRefusesEndsTrainsAndTheTimerSendsTheBlocksOneByOne() throws Exception {
        onABusyServer();
        harness.maxSegmentPayload = 1472;
        harness.channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof SegmentedDatagramPacket train) {
                    train.release();
                    promise.setFailure(new IOException("sendmmsg(..) failed: Invalid argument"));
                } else {
                    ctx.write(msg, promise);
                }
            }
        });
        start(random(512 * 10), Map.of("windowsize", "4"));
        harness.sent(TftpOptionAck.class);
        harness.receive(new TftpAck(0));
        assertEquals(0, harness.drain(), "the train was refused");
        harness.elapse(Duration.ofMillis(1100));
        for (int block = 1; block <= 4; block++) {
            TftpData data = harness.sent(TftpData.class);
            assertEquals(block, data.block());
            data.release();
        }
        assertEquals(List.of(), harness.trainLengths);
        assertEquals(1, harness.registry.trainsRefused.sum(), "tftp:stats counts the refusal");
        harness.receive(new TftpAck(4));
        assertEquals(4, harness.drain());
        assertTrue(harness.channel.isOpen(), "the transfer goes on");
    }

    /**
     * Lock-step: takes blocks {@code first} to {@code last} as they are sent and acknowledges each
     * {@code after} it was sent.
     */
    private void answerBlocksAfter(int first, int last, Duration after) {
        for (int block = first; block <= last; block++) {
            TftpData data = harness.sent(TftpData.class);
            assertEquals(block, data.block());
            data.release();
            harness.elapse(after);
            harness.receive(new TftpAck(block));
        }
    }

    /** When, in milliseconds from now, the server sends something again in the next {@code millis} ms. */
    private List<Long> resendTimesInMillis(long millis) {
        List<Long> times = new ArrayList<>();
        for (long t = 1; t <= millis; t++) {
            harness.elapse(Duration.ofMillis(1));
            if (harness.drain() > 0) {
                times.add(t);
            }
        }
        return times;
    }

    /** More transfers in progress than event loops: no loop waits for a client, windows leave whole. */
    private void onABusyServer() {
        harness.channel.finishAndReleaseAll();
        harness = new TransferHarness(0);
    }

    /** Starts sending {@code file} in windows of 4, past an OACK the client answers after 1 ms: a round trip. */
    private void startWindowsOf4(byte[] file) throws Exception {
        start(file, Map.of("windowsize", "4"));
        harness.sent(TftpOptionAck.class);
        harness.elapse(Duration.ofMillis(1));
        harness.receive(new TftpAck(0));
    }

    /** Starts sending {@code file} in windows of 8 over a link whose MTU fits trains of 512-byte blocks, past the OACK. */
    private void startWindowsOf8WhereTheKernelMakesTrains(byte[] file) throws Exception {
        harness.maxSegmentPayload = 1472;
        start(file, Map.of("windowsize", "8"));
        harness.sent(TftpOptionAck.class);
        harness.receive(new TftpAck(0));
    }

    /** Starts sending {@code file} past the OACK; the set fills with the numbers of the blocks read from it. */
    private TreeSet<Long> startRecordingReads(byte[] file, Map<String, String> asked) throws Exception {
        TreeSet<Long> read = new TreeSet<>();
        start(file, asked, blocks -> new BlockSource() {
            @Override
            public int read(long block, ByteBuf out) throws IOException {
                read.add(block);
                return blocks.read(block, out);
            }

            @Override
            public long transferSize() {
                return blocks.transferSize();
            }

            @Override
            public void release() {
                blocks.release();
            }
        });
        harness.sent(TftpOptionAck.class);
        harness.receive(new TftpAck(0));
        return read;
    }

    private void start(byte[] file, Map<String, String> asked) throws Exception {
        start(file, asked, UnaryOperator.identity());
    }

    /** Starts sending {@code file}, its blocks read through what {@code blockSource} makes of the octet blocks. */
    private void start(byte[] file, Map<String, String> asked, UnaryOperator<BlockSource> blockSource)
            throws Exception {
        content = new MemoryContent(file);
        TransferOptions options = TransferOptions.negotiate(asked, TftpSettings.defaults(), false, file.length);
        harness.start(new ReadTransfer(harness.services, CONTEXT, "file.bin", options, TftpSettings.DEFAULT_RETRIES,
                content, blockSource.apply(new OctetBlocks(content, options.blockSize()))));
    }

    private void assertFinished(boolean ok) {
        harness.channel.runPendingTasks();
        assertFalse(harness.channel.isOpen(), "the transfer's port is closed");
        assertEquals(1, content.closed, "the file is closed once");
        assertEquals(ok ? 1 : 0, harness.registry.completed.sum());
        assertEquals(ok ? 0 : 1, harness.registry.failed.sum());
        assertTrue(harness.registry.active().isEmpty());
    }

    /** Takes blocks {@code first} to {@code last} as sent, in order, and appends their bytes to {@code into}. */
    private void receiveBlocks(int first, int last, ByteArrayOutputStream into) throws IOException {
        for (int block = first; block <= last; block++) {
            TftpData data = harness.sent(TftpData.class);
            assertEquals(block, data.block());
            into.write(bytes(data));
        }
    }

    private static byte[] bytes(TftpData data) {
        byte[] bytes = new byte[data.content().readableBytes()];
        data.content().readBytes(bytes);
        data.release();
        return bytes;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}

package org.diskless.mtftp.internal;

import static org.diskless.mtftp.internal.PxeHarness.GROUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.diskless.api.boot.BootEvent;
import org.diskless.tftp.codec.TftpData;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpRequest;
import org.junit.jupiter.api.Test;

/** PXE MTFTP rounds: who is master, what goes where, and when a round ends. */
class PxeRoundTest extends PxeTests {

    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.10", 2070);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.11", 2071);
    private static final InetSocketAddress C = new InetSocketAddress("192.0.2.12", 2072);
    /** Three blocks: two full, one of 276 bytes. */
    private static final long SIZE = 2 * 512 + 276;

    private PxeHarness serving() throws Exception {
        PxeHarness h = track(new PxeHarness());
        h.resolver.file("pxelinux.0", SIZE);
        return h.serving("pxelinux.0");
    }

    @Test
    void theFirstClientToOpenIsMasterAndGetsBlockOneBothUnicastAndOnTheGroup() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        assertEquals(1, h.roundPorts.size());
        h.expectData(0, 1, A);      // unicast first: the opener reads it before the group copy
        h.expectData(0, 1, GROUP);
        h.expectNothingFromRound(0);
        assertEquals("192.0.2.10:2070", h.view().master());
    }

    @Test
    void theMasterDrivesEveryFurtherBlockToTheGroupOnlyAndTheRoundEndsWithItsLastAck() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.ack(0, A, 1);
        h.expectData(0, 2, GROUP);
        h.expectNothingFromRound(0);
        h.ack(0, A, 2);
        Sent last = h.nextFromRound(0);
        assertEquals(GROUP, last.to());
        assertEquals(3, last.block());
        assertEquals(276, last.bytes());
        h.ack(0, A, 3);
        GroupView view = h.view();
        assertEquals("-", view.master());
        assertEquals(4, view.blocksSent());                 // block 1 twice, then 2 and 3
        assertEquals(0, view.reopens());
        assertEquals(1, h.events(BootEvent.Kind.FILE_SENT).size());
        assertEquals(SIZE, h.events(BootEvent.Kind.FILE_SENT).get(0).bytes());
        assertEquals(1, h.counters.roundsCompleted.sum());
    }

    @Test
    void theBlocksCarryTheFileByteForByte() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.expectData(0, 1, A);
        byte[] received = new byte[(int) SIZE];
        int at = 0;
        for (int block = 1; block <= 3; block++) {
            TftpData data = (TftpData) h.nextFromRound(0).packet();
            int n = data.content().readableBytes();
            data.content().readBytes(received, at, n);
            data.release();
            at += n;
            h.ack(0, A, block);
        }
        assertEquals(SIZE, at);
        for (int i = 0; i < SIZE; i++) {
            assertEquals(PatternContent.at(i), received[i], "byte " + i);
        }
    }

    @Test
    void anotherOpenWhileTheMasterIsHealthyIsCountedAsListeningAndChangesNothing() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.ack(0, A, 1);
        h.drain(0);
        h.open(B, "pxelinux.0");
        h.open(B, "pxelinux.0");
        assertNull(h.nextFromServerPort(), "nothing is sent to the listener");
        h.expectNothingFromRound(0);
        assertEquals(1, h.roundPorts.size(), "no new round");
        assertEquals(1, h.view().listening());
        assertEquals(2, h.counters.opensIgnored.sum());
        h.ack(0, A, 2);
        h.expectData(0, 3, GROUP);
        List<BootEvent> started = h.events(BootEvent.Kind.FILE_STARTED);
        assertEquals(2, started.size());
        assertTrue(started.get(1).detail().contains("as listener"), started.get(1).detail());
    }

    @Test
    void anAckFromAnyoneButTheMastersAddressAndPortIsIgnored() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.ack(0, B, 1);
        h.ack(0, new InetSocketAddress(A.getAddress(), A.getPort() + 1), 1);
        h.expectNothingFromRound(0);
        assertEquals(2, h.counters.strangerPackets.sum());
        h.ack(0, A, 1);
        h.expectData(0, 2, GROUP);
    }

    @Test
    void anErrorFromAStrangerChangesNothing() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.send(0, B, new TftpError(TftpErrorCode.NOT_DEFINED, "go away"));
        assertTrue(h.roundPorts.get(0).isOpen());
        h.ack(0, A, 1);
        h.expectData(0, 2, GROUP);
    }

    @Test
    void anUnacknowledgedBlockIsSentAgainABoundedNumberOfTimesThenTheGroupGoesQuiet() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.ack(0, A, 1);
        h.drain(0);
        for (int retry = 1; retry <= MtftpSettings.DEFAULT_RETRIES; retry++) {
            h.elapse(Duration.ofSeconds(1));
            h.expectData(0, 2, GROUP);
            h.expectNothingFromRound(0);
        }
        h.elapseSeconds(3);
        h.expectNothingFromRound(0);
        assertEquals("192.0.2.10:2070 (silent)", h.view().master());
        assertEquals(MtftpSettings.DEFAULT_RETRIES, h.counters.retransmissions.sum());
    }

    @Test
    void whenTheMasterWentSilentTheNextClientToOpenBecomesMasterAtOnceFromBlockOne() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.ack(0, A, 1);
        h.elapseSeconds(MtftpSettings.DEFAULT_RETRIES + 1);
        h.drain(0);
        h.open(B, "pxelinux.0");
        assertEquals(1, h.roundPorts.size(), "the new round is sent from the same port");
        h.expectData(0, 1, B);
        h.expectData(0, 1, GROUP);
        assertEquals("192.0.2.11:2071", h.view().master());
        assertEquals(1, h.view().reopens());
        BootEvent failed = h.events(BootEvent.Kind.FILE_FAILED).get(0);
        assertEquals(A.getAddress(), failed.client());
        assertTrue(failed.detail().contains("took over"), failed.detail());
        assertEquals(512, failed.bytes());
        h.ack(0, A, 2);
        h.expectNothingFromRound(0);
        h.ack(0, B, 1);
        h.expectData(0, 2, GROUP);
    }

    @Test
    void aSilentMasterThatComesBackWithItsAckGoesOn() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.elapseSeconds(MtftpSettings.DEFAULT_RETRIES + 1);
        h.drain(0);
        h.ack(0, A, 1);
        h.expectData(0, 2, GROUP);
        assertEquals("192.0.2.10:2070", h.view().master());
    }

    @Test
    void aRoundNobodyAcknowledgesEndsAfterABoundedTime() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        // retries + 1 timeouts, then the quiet of open timeout + re-open delay, and a second's slack
        h.elapseSeconds(MtftpSettings.DEFAULT_RETRIES + 1 + FileSettings.DEFAULT_OPEN_TIMEOUT
                + FileSettings.DEFAULT_REOPEN_DELAY + 1);
        h.drain(0);
        assertEquals("-", h.view().master());
        assertEquals(1, h.counters.roundsFailed.sum());
        assertEquals(1, h.events(BootEvent.Kind.FILE_FAILED).size());
        h.elapseSeconds(30);
        h.expectNothingFromRound(0);
        h.open(B, "pxelinux.0");
        h.expectData(0, 1, B);
    }

    @Test
    void anErrorFromTheMasterEndsItsMastershipAndTheNextOpenerBecomesMasterAtOnce() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.open(B, "pxelinux.0");
        h.send(0, A, new TftpError(TftpErrorCode.DISK_FULL, "no room"));
        assertEquals("-", h.view().master());
        assertTrue(h.events(BootEvent.Kind.FILE_FAILED).get(0).detail().contains("no room"));
        h.open(B, "pxelinux.0");
        h.expectData(0, 1, B);
    }

    @Test
    void aLateJoinerAfterACompleteRoundGetsANewRoundFromBlockOne() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.open(B, "pxelinux.0"); // listens to the round
        for (int block = 1; block <= 3; block++) {
            h.ack(0, A, block);
        }
        h.drain(0);
        assertEquals(2, h.events(BootEvent.Kind.FILE_SENT).size(), "the master and the listener");
        h.open(C, "pxelinux.0");
        h.expectData(0, 1, C);
        h.expectData(0, 1, GROUP);
        assertEquals(1, h.view().reopens());
        assertEquals(0, h.view().listening());
    }

    @Test
    void anOpenSentToTheRoundsPortAsAtftpSendsItsReopensStartsTheNextRound() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.open(B, "pxelinux.0");
        for (int block = 1; block <= 3; block++) {
            h.ack(0, A, block);
        }
        h.drain(0);
        h.send(0, B, TftpRequest.read("pxelinux.0", "octet", Map.of()));
        h.expectData(0, 1, B);
        h.expectData(0, 1, GROUP);
        assertEquals("192.0.2.11:2071", h.view().master());
        h.send(0, C, TftpRequest.read("vmlinuz", "octet", Map.of()));
        Sent refused = h.nextFromRound(0);
        assertEquals(C, refused.to());
        assertEquals(TftpErrorCode.FILE_NOT_FOUND.code(), ((TftpError) refused.packet()).code());
    }

    @Test
    void aMasterThatOpensAgainBeforeItsFirstAckGetsBlockOneAgain() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.open(A, "pxelinux.0");
        h.expectData(0, 1, A);
        h.expectData(0, 1, GROUP);
        h.ack(0, A, 1);
        h.drain(0);
        h.open(A, "pxelinux.0");
        h.expectNothingFromRound(0);
    }

    @Test
    void blocksLeaveNoFasterThanMaxBytesPerSecond() throws Exception {
        // 5,440 bytes a second: ten 544-byte packets (512 + TFTP, UDP and IP headers)
        PxeHarness h = track(new PxeHarness(Map.of("maxBytesPerSecond", "5440")));
        h.resolver.file("pxelinux.0", SIZE);
        h.serving("pxelinux.0");
        h.open(A, "pxelinux.0");
        h.drain(0);
        h.ack(0, A, 1);
        h.expectData(0, 2, GROUP);        // the first paced block goes at once
        h.ack(0, A, 2);
        h.expectNothingFromRound(0);
        h.elapse(Duration.ofMillis(99));
        h.expectNothingFromRound(0);
        h.elapse(Duration.ofMillis(1));
        h.expectData(0, 3, GROUP);
    }

    @Test
    void aClientThatListenedToAWholeRoundAndOpensAgainSlowsTheNextRoundsDown() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.open(B, "pxelinux.0");
        ackEveryBlock(h, A);
        h.open(C, "pxelinux.0");            // C did not listen to A's round: no sign of loss
        ackEveryBlock(h, C);
        h.open(B, "pxelinux.0");            // B listened to A's round, but C's came last
        ackEveryBlock(h, B);
        assertEquals(0, h.counters.paceReductions.sum());
        h.open(A, "pxelinux.0");
        h.open(C, "pxelinux.0");
        ackEveryBlock(h, A);                // 1300 bytes in 30 ms: about 43,000 bytes a second
        h.open(C, "pxelinux.0");            // C listened to A's whole round, and still needs the file
        assertEquals(1, h.counters.paceReductions.sum());
        h.drain(0);
        h.ack(0, C, 1);
        h.expectData(0, 2, GROUP);
        h.ack(0, C, 2);
        h.expectNothingFromRound(0);
        h.elapse(Duration.ofMillis(9));     // half that is below the floor: 64 KiB/s, 8.3 ms a block
        h.expectData(0, 3, GROUP);
    }

    /** {@code master} acknowledges each block of the round it opened, 10 ms after it came. */
    private static void ackEveryBlock(PxeHarness h, InetSocketAddress master) {
        h.drain(0);
        for (int block = 1; block <= 3; block++) {
            h.elapse(Duration.ofMillis(10));
            h.ack(0, master, block);
        }
        h.drain(0);
    }

    @Test
    void clientsBeyondMaxClientsPerFileAreCountedNotRemembered() throws Exception {
        PxeHarness h = track(new PxeHarness(Map.of("maxClientsPerFile", "2")));
        h.resolver.file("pxelinux.0", SIZE);
        h.serving("pxelinux.0");
        h.open(A, "pxelinux.0");
        int resolutions = h.resolver.resolutions;
        for (int i = 0; i < 1000; i++) {
            h.open(new InetSocketAddress("198.18." + (i / 250) + "." + (i % 250 + 1), 3000), "pxelinux.0");
        }
        assertEquals(2, h.view().listening());
        assertTrue(h.view().capped());
        assertEquals(1000, h.counters.opensIgnored.sum());
        assertEquals(2, h.resolver.resolutions - resolutions, "only the clients remembered are resolved");
        assertEquals(1, h.roundPorts.size());
    }

    @Test
    void aClientForWhomTheNameMeansAnotherFileIsRefusedNotSentTheGroupsFile() throws Exception {
        PxeHarness h = track(new PxeHarness());
        h.resolver.file("pxelinux.0", SIZE).file("pxelinux.0+/node7", SIZE)
                .forClient(C.getAddress(), "pxelinux.0", "pxelinux.0+/node7");
        h.serving("pxelinux.0");
        h.open(C, "pxelinux.0");
        TftpError error = h.expectErrorFromServerPort(C);
        assertEquals(TftpErrorCode.ACCESS_VIOLATION.code(), error.code());
        assertTrue(h.roundPorts.isEmpty());
        assertEquals(1, h.counters.refusedDiffers.sum());
        h.open(A, "pxelinux.0");
        h.expectData(0, 1, A);
    }

    @Test
    void aFileThatIsNotThereIsAnErrorFromTheServerPort() throws Exception {
        PxeHarness h = track(new PxeHarness().serving("pxelinux.0"));
        h.open(A, "pxelinux.0");
        assertEquals(TftpErrorCode.FILE_NOT_FOUND.code(), h.expectErrorFromServerPort(A).code());
        assertTrue(h.roundPorts.isEmpty());
        List<BootEvent> refused = h.events(BootEvent.Kind.FILE_REFUSED);
        assertEquals(1, refused.size(), "the refusal is on the client's timeline");
        assertEquals(A.getAddress(), refused.get(0).client());
        assertTrue(refused.get(0).detail().startsWith("pxelinux.0: refused with error 1, "), refused.get(0).detail());
        assertTrue(h.events(BootEvent.Kind.FILE_FAILED).isEmpty(), "a refusal is not a failed transfer");
    }

    @Test
    void theGroupsFileStaysOpenFromRoundToRoundAndClosesOnceTheGroupIsIdle() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        for (int block = 1; block <= 3; block++) {
            h.ack(0, A, block);
        }
        h.open(B, "pxelinux.0");
        for (int block = 1; block <= 3; block++) {
            h.ack(0, B, block);
        }
        assertEquals(1, h.resolver.opened.size(), "one open file for both rounds");
        assertEquals(0, h.resolver.opened.get(0).closed);
        h.elapse(MulticastFile.IDLE_CLOSE);
        assertEquals(1, h.resolver.opened.get(0).closed);
        assertFalse(h.roundPorts.get(0).isOpen(), "the port goes with the file");
        h.open(C, "pxelinux.0");
        assertEquals(2, h.roundPorts.size(), "the next round binds a port again");
        h.expectData(1, 1, C);
    }

    @Test
    void theRoundOfAFileWhoseConfigurationGoesEndsAndItsFileCloses() throws Exception {
        PxeHarness h = serving();
        h.open(A, "pxelinux.0");
        h.files.update(Map.of(), h.settings);
        assertFalse(h.roundPorts.get(0).isOpen());
        assertEquals(1, h.resolver.opened.get(0).closed);
        assertTrue(h.files.views().isEmpty());
    }
}

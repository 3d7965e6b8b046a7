package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MtftpFetchTest {

    private static final int OPEN_TIMEOUT_S = 2;
    private static final int REOPEN_DELAY_S = 4;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingNetwork network = new RecordingNetwork();
    private final StormTally tally = new StormTally();
    /** Ten blocks, the last one short. */
    private final ExpectedFile file = TftpPackets.file("vmlinuz", 9 * 512 + 100);
    private Inet4Address server;
    private InetSocketAddress transferPort;
    private MtftpChannel channel;
    private final Outcome outcome = new Outcome();

    @BeforeEach
    void setUp() throws Exception {
        server = (Inet4Address) InetAddress.getByName("198.18.32.1");
        transferPort = new InetSocketAddress(server, 40_000);
        channel = new MtftpChannel((Inet4Address) InetAddress.getByName("233.252.0.2"), 1758, 1759,
                OPEN_TIMEOUT_S, REOPEN_DELAY_S);
    }

    private MtftpFetch start(ExpectedFile file) throws Exception {
        MtftpFetch fetch = new MtftpFetch(scheduler, network, tally, file,
                (Inet4Address) InetAddress.getByName("198.18.40.7"), server, channel, outcome);
        fetch.start();
        return fetch;
    }

    @Test
    void opensTheTransferAfterListeningInSilence() throws Exception {
        start(file);
        scheduler.advanceMillis(OPEN_TIMEOUT_S * 1000 - 1);
        assertTrue(network.sent.isEmpty());

        scheduler.advanceMillis(1);

        RecordingNetwork.Sent open = network.last();
        assertEquals(TftpWire.RRQ, open.opcode());
        assertEquals(new InetSocketAddress(server, 1759), open.to());
        assertEquals(1, tally.mtftpOpens);
    }

    @Test
    void aListenerThatHearsTheWholeFileNeverOpensIt() throws Exception {
        start(file);
        for (int block = 1; block <= 10; block++) {
            network.multicast(file, block);
            scheduler.advanceMillis(10);
        }

        assertEquals("fetched", outcome.text);
        assertTrue(network.sent.isEmpty());
        assertTrue(network.listening.isEmpty(), "it left the group");
        assertEquals(1, network.closed);
    }

    @Test
    void theOpenerAnsweredByUnicastIsMasterAndAcknowledgesEachBlockOnce() throws Exception {
        MtftpFetch fetch = start(file);
        scheduler.advanceMillis(OPEN_TIMEOUT_S * 1000);

        network.deliver(TftpPackets.data(file, 1, 512), transferPort);
        network.multicast(file, 1); // the server sends block 1 to the group as well
        for (int block = 2; block <= 10; block++) {
            assertTrue(fetch.acknowledges());
            network.multicast(file, block);
        }

        assertEquals("fetched", outcome.text);
        List<Integer> acks = network.sentOf(TftpWire.ACK).stream().map(RecordingNetwork.Sent::block).toList();
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), acks);
        assertTrue(network.sentOf(TftpWire.ACK).stream().allMatch(s -> s.to().equals(transferPort)));
        assertEquals(1, tally.mtftpMasters);
    }

    @Test
    void aLateJoinerReopensForWhatItMissedAndAcknowledgesPastWhatItHeard() throws Exception {
        start(file);
        for (int block = 6; block <= 10; block++) {
            network.multicast(file, block); // another client's transfer, already under way
        }
        scheduler.advanceMillis(REOPEN_DELAY_S * 1000 - 1);
        assertTrue(network.sent.isEmpty(), "waits the reopen delay after the last block it heard");
        scheduler.advanceMillis(1);
        assertEquals(TftpWire.RRQ, network.last().opcode());

        network.deliver(TftpPackets.data(file, 1, 512), transferPort);
        for (int block = 2; block <= 5; block++) {
            network.multicast(file, block);
        }

        assertEquals("fetched", outcome.text);
        List<Integer> acks = network.sentOf(TftpWire.ACK).stream().map(RecordingNetwork.Sent::block).toList();
        assertEquals(List.of(1, 2, 3, 4, 10), acks, "block 5 closes the gap: the server may skip to the end");
    }

    @Test
    void anOpenerThatHearsAnotherMasterListensAgain() throws Exception {
        MtftpFetch fetch = start(file);
        scheduler.advanceMillis(OPEN_TIMEOUT_S * 1000);

        network.multicast(file, 1); // the server chose another opener
        assertFalse(fetch.acknowledges());
        for (int block = 2; block <= 10; block++) {
            scheduler.advanceMillis(100);
            network.multicast(file, block);
        }

        assertEquals("fetched", outcome.text);
        assertEquals(1, network.sentOf(TftpWire.RRQ).size(), "no more opens while the transfer runs");
        assertTrue(network.sentOf(TftpWire.ACK).isEmpty());
    }

    @Test
    void aMasterTheServerStopsAnsweringListensAndReopens() throws Exception {
        MtftpFetch fetch = start(file);
        scheduler.advanceMillis(OPEN_TIMEOUT_S * 1000);
        network.deliver(TftpPackets.data(file, 1, 512), transferPort);

        scheduler.advanceMillis(250);
        assertEquals(2, network.sentOf(TftpWire.ACK).size(), "the ACK again after a quarter of a second");
        scheduler.advanceMillis(15_500);
        assertFalse(fetch.acknowledges(), "given up as master after about 16 s of silence");
        int opens = network.sentOf(TftpWire.RRQ).size();

        scheduler.advanceMillis(REOPEN_DELAY_S * 1000);

        assertEquals(opens + 1, network.sentOf(TftpWire.RRQ).size());
        assertNull(outcome.text);
    }

    @Test
    void anOpenNobodyAnswersFailsTheNodeAsItsTftpWould() throws Exception {
        start(file);
        scheduler.advanceMillis(OPEN_TIMEOUT_S * 1000);

        scheduler.advanceMillis(15_749);
        assertNull(outcome.text);
        scheduler.advanceMillis(1);

        assertEquals("failed: no answer to the MTFTP open", outcome.text);
        assertEquals(6, network.sentOf(TftpWire.RRQ).size());
    }

    @Test
    void aBlockThatDiffersFromTheFileFailsTheNode() throws Exception {
        start(file);

        network.listening.get(0).onGroupData(3, 512, false);

        assertTrue(outcome.text.startsWith("failed: block 3"), outcome.text);
        assertTrue(network.listening.isEmpty());
    }

    @Test
    void aFileBeyondMtftpsBlockNumbersFailsAtOnce() throws Exception {
        start(new ExpectedFile("initrd", new byte[65_535 * 512]));

        assertTrue(outcome.text.startsWith("failed: 33553920 bytes are more than MTFTP's 65,535 blocks"), outcome.text);
        assertTrue(network.listening.isEmpty());
    }

    @Test
    void thirtyTwoMillionBytesFit() throws Exception {
        start(new ExpectedFile("initrd", new byte[32_000_000]));

        assertNull(outcome.text);
        assertEquals(1, network.listening.size());
    }
}

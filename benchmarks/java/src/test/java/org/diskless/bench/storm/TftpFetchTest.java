package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TftpFetchTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingNetwork network = new RecordingNetwork();
    private final StormTally tally = new StormTally();
    /** Four blocks of 1432, the last one short. */
    private final ExpectedFile file = TftpPackets.file("vmlinuz", 3 * 1432 + 7);
    private InetSocketAddress server;
    private InetSocketAddress transferPort;
    private Outcome outcome = new Outcome();

    @BeforeEach
    void setUp() throws Exception {
        server = new InetSocketAddress(InetAddress.getByName("198.18.32.1"), 69);
        transferPort = new InetSocketAddress(server.getAddress(), 50_000);
    }

    private void start() throws Exception {
        start(file);
    }

    private void start(ExpectedFile file) throws Exception {
        outcome = new Outcome();
        new TftpFetch(scheduler, network, tally, file, (Inet4Address) InetAddress.getByName("198.18.40.7"), server,
                1432, outcome).start();
    }

    @Test
    void asksForIpxesBlockSizeAndTheSize() throws Exception {
        start();

        RecordingNetwork.Sent rrq = network.last();
        assertEquals(server, rrq.to());
        byte[] raw = new byte[rrq.datagram().remaining() - 2];
        rrq.datagram().duplicate().position(2).get(raw);
        assertEquals("vmlinuz\0octet\0blksize\0001432\0tsize\0000\0", new String(raw, StandardCharsets.US_ASCII));
    }

    @Test
    void acknowledgesTheOptionsThenEveryBlock() throws Exception {
        start();
        network.deliver(TftpPackets.oack("blksize", "1432", "tsize", Integer.toString(file.size())), transferPort);
        for (int block = 1; block <= 4; block++) {
            network.deliver(TftpPackets.data(file, block, 1432), transferPort);
        }

        assertEquals("fetched", outcome.text);
        assertEquals(List.of(0, 1, 2, 3, 4), network.sentOf(TftpWire.ACK).stream().map(RecordingNetwork.Sent::block).toList());
        assertTrue(network.sentOf(TftpWire.ACK).stream().allMatch(s -> s.to().equals(transferPort)));
        assertEquals(1, network.closed);
    }

    @Test
    void aBlockSentTwiceIsCountedAndAcknowledgedAgain() throws Exception {
        start();
        network.deliver(TftpPackets.oack("blksize", "1432"), transferPort);
        network.deliver(TftpPackets.data(file, 1, 1432), transferPort);
        network.deliver(TftpPackets.data(file, 1, 1432), transferPort);

        assertEquals(1, tally.duplicateData);
        assertEquals(List.of(0, 1, 1), network.sentOf(TftpWire.ACK).stream().map(RecordingNetwork.Sent::block).toList());
    }

    @Test
    void aServerWithoutOptionsSendsBlocksOf512() throws Exception {
        ExpectedFile small = TftpPackets.file("pxelinux.0", 700);
        start(small);

        network.deliver(TftpPackets.data(small, 1, 512), transferPort);
        network.deliver(TftpPackets.data(small, 2, 512), transferPort);

        assertEquals("fetched", outcome.text);
    }

    @Test
    void packetsFromAnotherPortAreIgnored() throws Exception {
        start();
        network.deliver(TftpPackets.oack("blksize", "1432"), transferPort);

        network.deliver(TftpPackets.data(file, 1, 1432), new InetSocketAddress(server.getAddress(), 50_001));

        assertEquals(1, tally.strayPackets);
        assertEquals(1, network.sentOf(TftpWire.ACK).size());
    }

    @Test
    void silenceIsAnsweredWithTheAckAgainThenGivenUp() throws Exception {
        start();
        network.deliver(TftpPackets.oack("blksize", "1432"), transferPort);
        network.deliver(TftpPackets.data(file, 1, 1432), transferPort);

        scheduler.advanceMillis(15_749);
        assertNull(outcome.text);
        assertEquals(List.of(0, 1, 1, 1, 1, 1, 1), network.sentOf(TftpWire.ACK).stream().map(RecordingNetwork.Sent::block).toList());
        scheduler.advanceMillis(1);

        assertEquals("failed: no DATA after block 1", outcome.text);
        assertEquals(5, tally.clientRetransmissions);
    }

    @Test
    void aBlockThatDiffersFromTheFileFailsTheNode() throws Exception {
        start();
        network.deliver(TftpPackets.oack("blksize", "1432"), transferPort);

        byte[] other = file.bytes().clone();
        other[100]++;
        network.deliver(TftpPackets.data(new ExpectedFile("vmlinuz", other), 1, 1432), transferPort);

        assertEquals("failed: block 1 differs from the file", outcome.text);
    }

    @Test
    void aWrongSizeOrAnErrorFailsTheNode() throws Exception {
        start();
        network.deliver(TftpPackets.oack("tsize", "12"), transferPort);
        assertTrue(outcome.text.startsWith("failed: server announced tsize 12"), outcome.text);

        start();
        network.deliver(TftpPackets.error(0, "server busy\u001b[2J"), transferPort);
        assertEquals("failed: server sent ERROR 0 server busy?[2J", outcome.text);
    }
}

package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DhcpClientTest {

    private static final byte[] MAC = {0x02, 0x5a, 0, 0, 0, 7};
    private static final int XID = 0x1234_5678;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final StormTally tally = new StormTally();
    private final List<ByteBuffer> sent = new ArrayList<>();
    private String outcome;
    private DhcpWire.Reply boundWith;

    private final DhcpClient client = new DhcpClient(scheduler, new Network.Link() {
        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) {
            sent.add(datagram.duplicate());
        }

        @Override
        public void close() {
        }
    }, tally, XID, MAC, new byte[16], new DhcpClient.Listener() {
        @Override
        public void bound(DhcpWire.Reply offer, DhcpWire.Reply ack) {
            outcome = "bound";
            boundWith = ack;
        }

        @Override
        public void failed(String reason) {
            outcome = "failed: " + reason;
        }
    });

    @Test
    void discoverIsRetransmittedOnThePxeScheduleAndGivenUpAfterAMinute() {
        client.start();
        List<Long> at = new ArrayList<>();
        at.add(0L);
        for (int ms = 0; ms < 60_000; ms += 10) {
            int before = sent.size();
            scheduler.advanceMillis(10);
            if (sent.size() > before) {
                at.add((long) ms + 10);
            }
        }

        assertEquals(List.of(0L, 4_000L, 12_000L, 28_000L), at);
        assertEquals("failed: no DHCP offer in 60 s", outcome);
        assertTrue(sent.stream().allMatch(m -> type(m) == DhcpWire.DISCOVER));
    }

    @Test
    void aPxeOfferIsRequestedAtOnceAndTheAckBinds() throws Exception {
        client.start();

        client.onReply(reply(DhcpWire.OFFER, MAC, "PXEClient"));
        assertEquals(DhcpWire.REQUEST, type(sent.get(1)));
        client.onReply(reply(DhcpWire.ACK, MAC, "PXEClient"));

        assertEquals("bound", outcome);
        assertEquals(InetAddress.getByName("198.18.40.9"), boundWith.yiaddr());
        assertEquals(InetAddress.getByName("198.18.32.1"), boundWith.nextServer().orElseThrow());
    }

    @Test
    void aPlainOfferWaitsForTheFirstTimeoutInCaseAPxeOneComes() {
        client.start();

        client.onReply(reply(DhcpWire.OFFER, MAC, null));
        assertEquals(1, sent.size());
        scheduler.advanceMillis(4_000);

        assertEquals(DhcpWire.REQUEST, type(sent.get(1)));
    }

    @Test
    void aReplyForAnotherMacIsIgnored() {
        client.start();

        client.onReply(reply(DhcpWire.OFFER, new byte[] {0x02, 0x5a, 0, 0, 0, 8}, "PXEClient"));

        assertEquals(1, sent.size());
        assertEquals(1, tally.strayPackets);
        assertNull(outcome);
    }

    @Test
    void requestIsRetransmittedOnThePxeScheduleThenDiscoverStartsOver() {
        client.start();
        client.onReply(reply(DhcpWire.OFFER, MAC, "PXEClient"));
        List<Long> at = new ArrayList<>();
        at.add(0L);
        for (int ms = 0; ms < 10_000; ms += 10) {
            int before = sent.size();
            scheduler.advanceMillis(10);
            if (sent.size() > before) {
                at.add((long) ms + 10);
            }
        }

        assertEquals(List.of(0L, 1_000L, 3_000L, 6_000L, 10_000L), at);
        assertEquals(List.of(DhcpWire.DISCOVER, DhcpWire.REQUEST, DhcpWire.REQUEST, DhcpWire.REQUEST,
                DhcpWire.REQUEST, DhcpWire.DISCOVER), sent.stream().map(DhcpClientTest::type).toList());
        assertNull(outcome);
    }

    @Test
    void restartsAreBounded() {
        client.start();
        for (int i = 0; i <= DhcpClient.MAX_RESTARTS; i++) {
            client.onReply(reply(DhcpWire.OFFER, MAC, "PXEClient"));
            client.onReply(reply(DhcpWire.NAK, MAC, null));
            scheduler.advanceMillis(1_000);
        }

        assertEquals("failed: NAK after 180 restarts from DISCOVER", outcome);
    }

    @Test
    void aNakStartsOverFromDiscoverASecondLater() {
        client.start();
        client.onReply(reply(DhcpWire.OFFER, MAC, "PXEClient"));

        client.onReply(reply(DhcpWire.NAK, MAC, null));
        scheduler.advanceMillis(999);
        assertEquals(2, sent.size());
        scheduler.advanceMillis(1);

        assertEquals(DhcpWire.DISCOVER, type(sent.get(2)));
        assertEquals(1, tally.dhcpNaks);
    }

    /** The message type of a message the client sent (option 53 is its first option). */
    private static int type(ByteBuffer message) {
        assertEquals(53, message.get(240));
        return message.get(242);
    }


    /** A server reply, read back through {@link DhcpWire#parseReply} as the generator reads one. */
    private static DhcpWire.Reply reply(int type, byte[] mac, String vendorClass) {
        ByteBuffer b = ByteBuffer.allocate(548);
        b.put((byte) 2).put((byte) 1).put((byte) 6).put((byte) 0).putInt(XID);
        b.position(16).put(new byte[] {(byte) 198, 18, 40, 9}).put(new byte[] {(byte) 198, 18, 32, 1});
        b.position(28).put(mac);
        b.position(108).put("pxelinux.0".getBytes());
        b.position(236).putInt(0x63825363);
        b.put((byte) 53).put((byte) 1).put((byte) type);
        b.put((byte) 54).put((byte) 4).put(new byte[] {(byte) 198, 18, 32, 1});
        if (vendorClass != null) {
            b.put((byte) 60).put((byte) vendorClass.length()).put(vendorClass.getBytes());
        }
        b.put((byte) 255).flip();
        return DhcpWire.parseReply(b).orElseThrow();
    }

}

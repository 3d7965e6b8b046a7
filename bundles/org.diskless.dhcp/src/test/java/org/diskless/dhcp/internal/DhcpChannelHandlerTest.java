package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.SERVER;
import static org.diskless.dhcp.internal.DhcpFixture.discover;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.diskless.dhcp.internal.Wire.COOKIE;
import static org.diskless.dhcp.internal.Wire.concat;
import static org.diskless.dhcp.internal.Wire.encode;
import static org.diskless.dhcp.internal.Wire.header;
import static org.diskless.dhcp.internal.Wire.malformed;
import static org.diskless.dhcp.internal.Wire.hex;
import static org.diskless.dhcp.internal.Wire.withByte;
import static org.diskless.dhcp.internal.Wire.withFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpEncoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

/** What reaches port 67 from the wire: nothing a client sends stops the server answering the next one. */
class DhcpChannelHandlerTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress(SERVER, 67);
    private static final InetSocketAddress CLIENT = DhcpFixture.UNCONFIGURED_CLIENT;

    private final DhcpFixture server = new DhcpFixture(settings("unknownClients", "allow"), LAB);
    private EmbeddedChannel channel;

    private EmbeddedChannel open(DhcpFixture fixture) {
        return open(fixture, Optional.empty());
    }

    private EmbeddedChannel open(DhcpFixture fixture, Optional<io.netty.channel.Channel> broadcastChannel) {
        fixture.start();
        channel = new EmbeddedChannel(new DhcpEncoder(),
                new DhcpChannelHandler(fixture.core(broadcastChannel), false, DhcpChannelHandler.Network.BOOT,
                        new BatchedSender(Runnable::run)));
        return channel;
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void goodDiscoverIsAnsweredWithAnOfferDatagram() {
        open(server);

        channel.writeInbound(datagram(goodDiscover(1)));

        DhcpMessage offer = readReply();
        assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType());
        assertEquals(mac(1), offer.hardwareAddress().orElseThrow());
    }

    @Test
    void broadcastRepliesLeaveOnTheChannelTheServerChoosesForThem() {
        EmbeddedChannel boundToServerAddress = new EmbeddedChannel(new DhcpEncoder());
        open(server, Optional.of(boundToServerAddress));

        channel.writeInbound(datagram(goodDiscover(1)));

        assertNull(channel.readOutbound());
        DatagramPacket packet = boundToServerAddress.readOutbound();
        try {
            assertEquals(new InetSocketAddress(DhcpFixture.BROADCAST, 68), packet.recipient());
            assertEquals(Optional.of(DhcpMessageType.OFFER), DhcpDecoder.decode(packet.content()).messageType());
        } finally {
            packet.release();
            boundToServerAddress.finishAndReleaseAll();
        }
    }

    @Test
    void aPeersRequestIsCountedAndDroppedWithoutBeingDecoded() {
        DhcpFixture withPeer = new DhcpFixture(settings("unknownClients", "allow", "peers", "192.0.2.2"), LAB);
        open(withPeer);
        ByteBuf peers = Unpooled.wrappedBuffer(encode(discover(LoadBalancerTest.peers())));

        channel.writeInbound(new DatagramPacket(peers.retain(), LOCAL, CLIENT));

        try {
            assertNull(channel.readOutbound(), "the peer answers it");
            assertEquals(0, peers.readerIndex(), "told from the raw datagram: never decoded");
        } finally {
            peers.release();
        }
        assertEquals(1, withPeer.dropped(Drop.PEER_BUCKET));
        assertEquals(1L, withPeer.statistics.snapshot().received().get(DhcpMessageType.DISCOVER), "counted as received");
        channel.writeInbound(datagram(encode(discover(LoadBalancerTest.peers()).secs(3))));
        assertEquals(Optional.of(DhcpMessageType.OFFER), readReply().messageType(), "taken over after 3 s");
        channel.writeInbound(datagram(encode(discover(LoadBalancerTest.ours()))));
        assertEquals(Optional.of(DhcpMessageType.OFFER), readReply().messageType(), "ours");
        assertEquals(3L, withPeer.statistics.snapshot().received().get(DhcpMessageType.DISCOVER));
        assertEquals(1, withPeer.dropped(Drop.PEER_BUCKET));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.diskless.dhcp.internal.Wire#malformedKinds")
    void aMalformedDatagramFromAPeersClientIsCountedAsMalformed(String kind) {
        DhcpFixture withPeer = new DhcpFixture(settings("unknownClients", "allow", "peers", "192.0.2.2"), LAB);
        open(withPeer);
        int client = 0;
        while (!mac(client).equals(LoadBalancerTest.peers())) {
            client++;
        }

        channel.writeInbound(datagram(malformed(client, kind)));

        assertEquals(1, withPeer.dropped(Drop.MALFORMED));
        assertEquals(0, withPeer.dropped(Drop.PEER_BUCKET));
    }

    @Test
    void aRequestBeforeTheFirstConfigurationIsInForceIsDroppedAndCounted() {
        DhcpStatistics statistics = new DhcpStatistics();
        channel = new EmbeddedChannel(new DhcpEncoder(), new DhcpChannelHandler(new DhcpChannelHandler.DhcpServerCore() {
            @Override
            public DhcpProcessor processor() {
                return null;
            }

            @Override
            public DhcpStatistics statistics() {
                return statistics;
            }

            @Override
            public Optional<io.netty.channel.Channel> broadcastSender(DhcpMessage reply) {
                return Optional.empty();
            }
        }, false, DhcpChannelHandler.Network.BOOT, new BatchedSender(Runnable::run)));

        channel.writeInbound(datagram(goodDiscover(1)));

        assertNull(channel.readOutbound());
        assertEquals(1, statistics.snapshot().dropped(Drop.NOT_READY));
        assertEquals(0, statistics.snapshot().dropped(Drop.INTERNAL_ERROR));
        assertTrue(channel.isActive());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.diskless.dhcp.internal.Wire#malformedKinds")
    void malformedDatagramIsDroppedAndCountedAndTheNextDiscoverIsAnswered(String kind) {
        open(server);

        channel.writeInbound(datagram(malformed(1, kind)));

        assertNull(channel.readOutbound(), "no reply to a malformed datagram");
        assertEquals(1, server.dropped(Drop.MALFORMED));
        assertTrue(channel.isActive());
        channel.writeInbound(datagram(goodDiscover(2)));
        assertEquals(Optional.of(DhcpMessageType.OFFER), readReply().messageType());
    }

    @Test
    void optionOfZeroLengthIsLeftOutAndTheClientStillServed() {
        open(server);

        channel.writeInbound(datagram(concat(header(2), COOKIE, hex("35 01 01 0c 00 32 00 ff"))));

        DhcpMessage offer = readReply();
        assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType());
        assertEquals(0, server.dropped(Drop.MALFORMED));
    }

    @Test
    void bootpRequestFromAMachineNotInTheInventoryIsCountedNotAnswered() {
        open(server);

        channel.writeInbound(datagram(concat(header(1), COOKIE, hex("ff"))));
        channel.writeInbound(datagram(Arrays.copyOf(header(1), 300)));

        assertNull(channel.readOutbound());
        assertEquals(2, server.dropped(Drop.UNKNOWN_CLIENT));
        assertEquals(2, server.statistics.snapshot().bootpReceived());
    }

    @Test
    void failureWhileAnsweringIsCountedAndTheServerGoesOn() {
        DhcpFixture broken = new DhcpFixture(settings("unknownClients", "allow"), LAB)
                .withNodeDirectory(new FailingDirectory());
        open(broken);

        channel.writeInbound(datagram(goodDiscover(1)));

        assertNull(channel.readOutbound());
        assertEquals(1, broken.dropped(Drop.INTERNAL_ERROR));
        assertTrue(channel.isActive());
    }

    @Test
    void withABootNetworkNamedTheWildcardSocketLeavesBroadcastsToItsSocket() {
        server.start();
        channel = new EmbeddedChannel(new DhcpEncoder(), new DhcpChannelHandler(server.core(Optional.empty()), false,
                DhcpChannelHandler.Network.OTHERS, new BatchedSender(Runnable::run)));

        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(goodDiscover(1)),
                new InetSocketAddress(DhcpFixture.BROADCAST, 67), CLIENT));

        assertNull(channel.readOutbound());
        assertEquals(0L, received(DhcpMessageType.DISCOVER), "a broadcast never reaches the processor");
        channel.writeInbound(datagram(goodDiscover(2)));
        assertEquals(1L, received(DhcpMessageType.DISCOVER), "a unicast to our address does");
    }

    private long received(DhcpMessageType type) {
        return server.statistics.snapshot().received().getOrDefault(type, 0L);
    }

    @Test
    void failuresWhileAnsweringAreLoggedOnceAMinuteWithTheClientsTextEscaped() {
        DhcpFixture broken = new DhcpFixture(settings("unknownClients", "allow"), LAB)
                .withNodeDirectory(new FailingDirectory());
        open(broken);
        String log;
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            for (int i = 0; i < 50; i++) {
                channel.writeInbound(datagram(encode(discover(mac(i)).serverName("\u001b]0;owned\u0007\u001b[2J"))));
            }
            log = stderr.text();
        }

        assertEquals(50, broken.dropped(Drop.INTERNAL_ERROR));
        assertEquals(1, log.lines().filter(l -> l.contains("Failed to answer")).count(), log);
        assertTrue(log.contains("sname=\\x1b]0;owned\\x07\\x1b[2J"), log);
        assertFalse(log.contains("\u001b"), "an escape sequence reached the log:\n" + log);
    }

    @Test
    void floodOfGarbageIsCountedOneByOne() {
        open(server);
        java.util.Random random = new java.util.Random(4011);

        for (int i = 0; i < 500; i++) {
            byte[] noise = new byte[random.nextInt(600)];
            random.nextBytes(noise);
            channel.writeInbound(datagram(noise));
        }

        assertNull(channel.readOutbound());
        assertEquals(500, server.dropped(Drop.MALFORMED) + server.dropped(Drop.NOT_A_REQUEST)
                + server.dropped(Drop.UNKNOWN_CLIENT));
        channel.writeInbound(datagram(goodDiscover(3)));
        assertEquals(Optional.of(DhcpMessageType.OFFER), readReply().messageType());
    }

    // ---------------------------------------------------------------- datagrams

    private DhcpMessage readReply() {
        DatagramPacket packet = channel.readOutbound();
        assertTrue(packet != null, "expected a reply");
        try {
            assertEquals(new InetSocketAddress(DhcpFixture.BROADCAST, 68), packet.recipient());
            return DhcpDecoder.decode(packet.content());
        } finally {
            packet.release();
        }
    }

    private static DatagramPacket datagram(byte[] bytes) {
        return new DatagramPacket(Unpooled.wrappedBuffer(bytes), LOCAL, CLIENT);
    }

    private static byte[] goodDiscover(int client) {
        return encode(discover(mac(client)));
    }

    /** A node directory whose backing store has gone away. */
    private static final class FailingDirectory implements NodeDirectory {
        @Override
        public Optional<Node> byHardwareAddress(HardwareAddress address) {
            throw new IllegalStateException("node store unavailable");
        }

        @Override
        public Optional<Node> byUuid(UUID uuid) {
            throw new IllegalStateException("node store unavailable");
        }

        @Override
        public Optional<Node> byAddress(InetAddress address) {
            throw new IllegalStateException("node store unavailable");
        }

        @Override
        public Optional<Node> byName(String name) {
            throw new IllegalStateException("node store unavailable");
        }

        @Override
        public Collection<Node> nodes() {
            throw new IllegalStateException("node store unavailable");
        }
    }
}

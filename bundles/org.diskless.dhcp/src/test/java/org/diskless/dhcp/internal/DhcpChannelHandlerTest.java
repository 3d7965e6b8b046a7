package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.SERVER;
import static org.diskless.dhcp.internal.DhcpFixture.discover;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
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
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

/** What reaches port 67 from the wire: nothing a client sends stops the server answering the next one. */
class DhcpChannelHandlerTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress(SERVER, 67);
    private static final InetSocketAddress CLIENT = DhcpFixture.UNCONFIGURED_CLIENT;
    private static final byte[] COOKIE = HexFormat.of().parseHex("63825363");

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
    @ValueSource(strings = {"truncated", "option past the end",
            "length byte missing", "zero-length message type", "only zero-length options", "hlen above 16", "bad op",
            "overload repeated", "overload value 4", "overload of two bytes", "overload inside the file field",
            "option past the end of the overloaded file field"})
    void malformedDatagramIsDroppedAndCountedAndTheNextDiscoverIsAnswered(String kind) {
        open(server);

        channel.writeInbound(datagram(malformed(kind)));

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

    private static byte[] encode(DhcpMessage.Builder message) {
        ByteBuf encoded = DhcpEncoder.encode(ByteBufAllocator.DEFAULT, message.build(), DhcpEncoder.ETHERNET_MAX_PAYLOAD);
        try {
            return ByteBufUtil.getBytes(encoded);
        } finally {
            encoded.release();
        }
    }

    private static byte[] malformed(String kind) {
        byte[] good = goodDiscover(1);
        return switch (kind) {
            case "truncated" -> Arrays.copyOf(good, 100);
            case "option past the end" -> concat(header(1), COOKIE, hex("35 01 01 0c 20 41 42"));
            case "length byte missing" -> concat(header(1), COOKIE, hex("35 01 01 0c"));
            case "zero-length message type" -> concat(header(1), COOKIE, hex("35 00 ff"));
            case "only zero-length options" -> concat(header(1), COOKIE, hex("35 00 3d 00 37 00 ff"));
            case "hlen above 16" -> withByte(good, 2, 17);
            case "bad op" -> withByte(good, 0, 3);
            case "overload repeated" -> concat(header(1), COOKIE, hex("35 01 01 34 01 01 34 01 01 ff"));
            case "overload value 4" -> concat(header(1), COOKIE, hex("35 01 01 34 01 04 ff"));
            case "overload of two bytes" -> concat(header(1), COOKIE, hex("35 01 01 34 02 01 01 ff"));
            case "overload inside the file field" -> concat(withFile(header(1), hex("34 01 02 ff")), COOKIE,
                    hex("35 01 01 34 01 01 ff"));
            case "option past the end of the overloaded file field" -> concat(withFile(header(1), hex("0c ff 41")),
                    COOKIE, hex("35 01 01 34 01 01 ff"));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** A BOOTREQUEST header from client {@code client}, without cookie or options. */
    private static byte[] header(int client) {
        byte[] header = new byte[DhcpDecoder.HEADER_SIZE];
        header[0] = 1;
        header[1] = 1;
        header[2] = 6;
        header[4] = 0x12;
        System.arraycopy(mac(client).toByteArray(), 0, header, 28, 6);
        return header;
    }

    /** The header with its 128-byte file field (offset 108) starting with {@code content}. */
    private static byte[] withFile(byte[] header, byte[] content) {
        byte[] copy = header.clone();
        System.arraycopy(content, 0, copy, 108, content.length);
        return copy;
    }

    private static byte[] withByte(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
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

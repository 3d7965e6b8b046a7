package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.HardwareAddress;
import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpEncoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

/**
 * A flood of PXE requests from random MACs, each carrying a user class (option 77) of about
 * 8.6 KB (what fits a 9,000-byte datagram) with terminal escape sequences in it, as the decoder
 * reads them off the wire: what the server keeps of them as boot events stays small however many
 * arrive.
 */
class BootEventFloodTest {

    /** As many as killed a 384 MiB heap when each left its event. */
    private static final int FLOOD = 40_000;
    /** Enough to tell a bound from none, for the paths that work the same way. */
    private static final int SHORT_FLOOD = 10_000;
    private static final int USER_CLASS_BYTES = 8_600;
    /** The decoder's largest datagram, as the server reads them. */
    private static final int DATAGRAM_LIMIT = 9_000;
    private static final Inet4Address CLIENT = DhcpFixture.ip("192.0.2.77");
    private static final InetSocketAddress SENDER = new InetSocketAddress(CLIENT, 68);
    /** The cap, and the mark that says how much of a datagram's worth of text was cut. */
    private static final int MAX_DETAIL = Replies.DETAIL_CHARS + "…(99999 more)".length();
    private static final Map<String, Object> DENY = settings("unknownClients", "deny", "bootFile.bios", "pxelinux.0");

    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void bootServerRequestsFromUnknownClientsLeaveNoEvents() {
        DhcpFixture server = new DhcpFixture(DENY, LAB);
        server.start();

        flood(server, decoded(pxe(DhcpMessageType.REQUEST)), FLOOD, true);

        assertEquals(FLOOD, server.dropped(Drop.UNKNOWN_CLIENT));
        assertEquals(0, server.events.size(), "refused clients leave no boot event");
    }

    @Test
    void proxyDiscoversFromUnknownClientsLeaveNoEvents() {
        Map<String, Object> proxy = settings("mode", "proxy", "unknownClients", "deny", "bootFile.bios", "pxelinux.0");
        DhcpFixture server = new DhcpFixture(proxy, LAB);
        server.start();

        flood(server, decoded(pxe(DhcpMessageType.DISCOVER)), SHORT_FLOOD, false);

        assertEquals(SHORT_FLOOD, server.dropped(Drop.UNKNOWN_CLIENT));
        assertEquals(0, server.events.size(), "refused clients leave no boot event");
    }

    @Test
    void serverModeDiscoversFromUnknownClientsLeaveNoEvents() {
        DhcpFixture server = new DhcpFixture(DENY, LAB);
        server.start();

        flood(server, decoded(pxe(DhcpMessageType.DISCOVER)), SHORT_FLOOD, false);

        assertEquals(SHORT_FLOOD, server.dropped(Drop.UNKNOWN_CLIENT));
        assertEquals(0, server.events.size(), "refused clients leave no boot event");
    }

    @Test
    void eventsOfAdmittedClientsKeepABoundedEscapedDetail() {
        DhcpFixture server = new DhcpFixture(settings("unknownClients", "allow", "bootFile.bios", "pxelinux.0"), LAB);
        open(server, true);
        int requests = 1_000;

        flood(pxe(DhcpMessageType.REQUEST), requests);

        assertEquals(2 * requests, server.events.size(), "a REQUEST and an ACK each");
        long detailChars = 0;
        for (BootEvent event : server.events) {
            String detail = event.detail();
            assertTrue(detail.length() <= MAX_DETAIL, () -> detail.length() + " chars: " + detail);
            assertFalse(detail.chars().anyMatch(c -> c < 0x20 || c == 0x7F || c >= 0x80 && c < 0xA0),
                    () -> "control character in " + detail);
            detailChars += detail.length();
        }
        assertTrue(detailChars <= (long) server.events.size() * MAX_DETAIL);
        assertTrue(server.events.stream().anyMatch(e -> e.detail().contains("\\x1b[2J")),
                "the user class is shown, escaped");
    }

    // ---------------------------------------------------------------- the flood

    private void open(DhcpFixture fixture, boolean bootServerPort) {
        fixture.start();
        channel = new EmbeddedChannel(new DhcpEncoder(),
                new DhcpChannelHandler(fixture.core(Optional.empty()), bootServerPort,
                        DhcpChannelHandler.Network.BOOT, new BatchedSender(Runnable::run)));
    }

    /**
     * {@code count} copies of {@code request} as the decoder made it, each from a random MAC,
     * straight to the processor (the handler's share is the decoding, which the test of admitted
     * clients covers; ByteBuf leak detection makes it slow by the ten thousand).
     */
    private static void flood(DhcpFixture server, DhcpMessage request, int count, boolean bootServerPort) {
        Random random = new Random(4011);
        byte[] chaddr = new byte[6];
        for (int i = 0; i < count; i++) {
            random.nextBytes(chaddr);
            chaddr[0] &= (byte) 0xFE;
            server.handle(request.toBuilder().hardwareAddress(HardwareAddress.ethernet(chaddr)).build(), SENDER,
                    bootServerPort);
        }
    }

    private static DhcpMessage decoded(byte[] datagram) {
        return DhcpDecoder.decode(Unpooled.wrappedBuffer(datagram), SENDER);
    }

    /** {@code count} copies of {@code template}, each from a random MAC, through the handler. */
    private void flood(byte[] template, int count) {
        Random random = new Random(4011);
        byte[] chaddr = new byte[6];
        for (int i = 0; i < count; i++) {
            random.nextBytes(chaddr);
            chaddr[0] &= (byte) 0xFE;
            byte[] datagram = template.clone();
            System.arraycopy(chaddr, 0, datagram, CHADDR_OFFSET, chaddr.length);
            channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), SENDER, SENDER));
            drainReplies();
        }
    }

    private static final int CHADDR_OFFSET = 28;

    private void drainReplies() {
        Object reply;
        while ((reply = channel.readOutbound()) != null) {
            ((DatagramPacket) reply).release();
        }
    }

    /** A BIOS PXE ROM's request with a long, malformed user class full of escape sequences. */
    private static byte[] pxe(DhcpMessageType type) {
        byte[] userClass = new byte[USER_CLASS_BYTES];
        byte[] escape = "\u001b[2J\u001b]0;owned\u0007".getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i < userClass.length; i++) {
            userClass[i] = i % 2 == 0 ? escape[i / 2 % escape.length] : (byte) 0xFF;
        }
        // A zero length byte first: not the RFC 3004 form, so the option is read as one text.
        userClass[0] = 0;
        System.arraycopy(escape, 0, userClass, 1, escape.length);
        HardwareAddress placeholder = mac(1);
        DhcpMessage request = DhcpProcessorPxeTest.pxe(type, placeholder, 0)
                .ciaddr(type == DhcpMessageType.REQUEST ? CLIENT : Addresses.ANY)
                .options(o -> o.put(DhcpOptions.USER_CLASS, userClass))
                .build();
        ByteBuf encoded = DhcpEncoder.encode(ByteBufAllocator.DEFAULT, request, DATAGRAM_LIMIT);
        try {
            byte[] bytes = ByteBufUtil.getBytes(encoded);
            assertTrue(bytes.length > USER_CLASS_BYTES && bytes.length <= DATAGRAM_LIMIT, bytes.length + " bytes");
            assertEquals(placeholder, HardwareAddress.ethernet(Arrays.copyOfRange(bytes, CHADDR_OFFSET,
                    CHADDR_OFFSET + 6)));
            return bytes;
        } finally {
            encoded.release();
        }
    }
}

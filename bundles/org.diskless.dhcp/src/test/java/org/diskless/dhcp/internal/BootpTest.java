package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.BROADCAST;
import static org.diskless.dhcp.internal.DhcpFixture.FAR;
import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.SERVER;
import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;
import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpEncoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpOp;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.dhcp.internal.DhcpFixture.Sent;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * BOOTP (RFC 951, 1497, 1542): requests without option 53, as kernels booted with ip=bootp and old
 * boot ROMs send them. Only inventory nodes with a fixed address get a BOOTREPLY.
 */
class BootpTest {

    private static final Map<String, Object> SERVER_MODE = settings("unknownClients", "deny");
    private static final Inet4Address FIXED = ip("192.0.2.20");
    private static final HardwareAddress NODE_MAC = mac(7);

    // ---------------------------------------------------------------- who gets an answer

    @Test
    void knownNodeWithAFixedAddressGetsABootReplyWithThatAddressAndNoLease() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB).withoutLeaseStore().start();
        f.inventory.add(fixed("node07", NODE_MAC, FIXED));
        DhcpMessage request = bootp(NODE_MAC).build();

        Sent sent = onlyReply(f.handle(request));

        DhcpMessage reply = sent.reply();
        assertEquals(DhcpOp.BOOTREPLY, reply.op());
        assertEquals(request.xid(), reply.xid());
        assertArrayEquals(request.chaddr(), reply.chaddr());
        assertEquals(FIXED, reply.yiaddr());
        assertEquals(SERVER, reply.siaddr(), "next-server is this server unless configured");
        assertEquals(new InetSocketAddress(BROADCAST, 68), sent.recipient());
        DhcpOptions options = reply.options();
        assertEquals(Optional.empty(), options.messageType(), "a BOOTREPLY carries no DHCP message type");
        assertFalse(options.contains(DhcpOptions.LEASE_TIME), "BOOTP has no lease");
        assertFalse(options.contains(DhcpOptions.SERVER_IDENTIFIER));
        assertEquals(Optional.of(ip("255.255.255.0")), options.subnetMask());
        assertEquals(List.of(ip("192.0.2.254")), options.routers());
        assertEquals(List.of(ip("192.0.2.53")), options.domainNameServers());
        assertEquals(Optional.of("node07"), options.hostName());
        assertEquals(Optional.of("lab.example"), options.domainName());
        assertTrue(f.leases.pending().isEmpty(), "nothing is written to the lease store");
        assertEquals(1, f.statistics.snapshot().bootpReceived());
        assertEquals(1, f.statistics.snapshot().bootpSent());
    }

    @Test
    void replyOnTheWireIsABootpMessageOfAtLeast300BytesWithoutOption53() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB).start();
        f.inventory.add(fixed("node07", NODE_MAC, FIXED));

        byte[] wire = encode(onlyReply(f.handle(bootp(NODE_MAC).build())).reply());

        assertTrue(wire.length >= DhcpEncoder.MIN_MESSAGE_SIZE, wire.length + " bytes");
        assertEquals(2, wire[0], "op BOOTREPLY");
        assertEquals(DhcpDecoder.MAGIC_COOKIE, (wire[236] & 0xFF) << 24 | (wire[237] & 0xFF) << 16
                | (wire[238] & 0xFF) << 8 | wire[239] & 0xFF, "the RFC 1048 cookie, as the request had");
        DhcpMessage decoded = DhcpDecoder.decode(Unpooled.wrappedBuffer(wire));
        assertFalse(decoded.options().contains(DhcpOptions.MESSAGE_TYPE));
        assertEquals(FIXED, decoded.yiaddr());
    }

    @Test
    void bareHeaderAsKlibcSendsItGetsItsOptionsInRfc1048() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB).start();
        f.inventory.add(fixed("node07", NODE_MAC, FIXED));
        byte[] bare = Arrays.copyOf(encode(bootp(NODE_MAC).magicCookie(false).build()), DhcpDecoder.HEADER_SIZE);

        DhcpMessage reply = onlyReply(f.handle(DhcpDecoder.decode(Unpooled.wrappedBuffer(bare)))).reply();

        assertTrue(reply.hasMagicCookie(), "klibc reads the options of a reply with the cookie");
        assertEquals(FIXED, reply.yiaddr());
        assertEquals(Optional.of(ip("255.255.255.0")), reply.options().subnetMask());
        assertEquals(Optional.of("node07"), reply.options().hostName());
    }

    @Test
    void requestInAnotherVendorsFormatGetsAPlainVendorAreaAndItsBootFileInTheFileField() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB).start();
        f.inventory.add(Node.builder("xterm1", NODE_MAC).address(FIXED).bootFile(BootRole.LOADER, "xterm/Xncd19r")
                .build());
        byte[] cmu = encode(bootp(NODE_MAC).magicCookie(false).build());
        System.arraycopy("CMU".getBytes(StandardCharsets.US_ASCII), 0, cmu, DhcpDecoder.HEADER_SIZE, 3);
        DhcpMessage plain = DhcpDecoder.decode(Unpooled.wrappedBuffer(cmu));

        DhcpMessage reply = onlyReply(f.handle(plain)).reply();
        byte[] wire = encode(reply);

        assertFalse(reply.hasMagicCookie());
        assertEquals(FIXED, reply.yiaddr());
        assertEquals("xterm/Xncd19r", reply.bootFileName());
        assertEquals(DhcpEncoder.MIN_MESSAGE_SIZE, wire.length);
        for (int i = DhcpDecoder.HEADER_SIZE; i < wire.length; i++) {
            assertEquals(0, wire[i], "vendor area byte " + i + " of a reply to a request without the cookie");
        }
    }

    @Test
    void nodeWithItsOwnLoaderIsNamedItInTheFileFieldAndNotInAnOption() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB).start();
        f.inventory.add(Node.builder("node07", NODE_MAC).address(FIXED).bootFile(BootRole.LOADER, "pxelinux.0")
                .build());

        DhcpMessage reply = onlyReply(f.handle(bootp(NODE_MAC).build())).reply();

        assertEquals("pxelinux.0", reply.bootFileName());
        assertFalse(reply.options().contains(DhcpOptions.BOOTFILE_NAME), "BOOTP clients read the file field");
        assertFalse(reply.options().contains(DhcpOptions.VENDOR_CLASS_IDENTIFIER));
    }

    @Test
    void kernelAskingForItsAddressIsToldNoBootFileWhenItsNodeHasNoLoaderOfItsOwn() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "deny", "bootFile.bios", "pxelinux.0"), LAB).start();
        f.inventory.add(fixed("node07", NODE_MAC, FIXED));

        DhcpMessage reply = onlyReply(f.handle(bootp(NODE_MAC).build())).reply();

        assertEquals("", reply.bootFileName(), "as a DHCP client that is not PXE: no boot file");
    }

    @Test
    void unknownMachineGetsNothingEvenWhereUnknownClientsAreAllowedAndLeavesNoEvent() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow"), LAB).start();

        assertTrue(f.handle(bootp(mac(1)).build()).isEmpty());

        assertEquals(1, f.dropped(Drop.UNKNOWN_CLIENT));
        assertTrue(f.events.isEmpty());
        assertTrue(f.processor().book().bindingOf(DhcpProcessor.hardwareId(mac(1))).isEmpty(), "no pool address held");
    }

    @Test
    void nodeWithoutAFixedAddressGetsNothing() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB).start();
        f.inventory.add(Node.of("dynamic", mac(1)));
        f.inventory.add(fixed("elsewhere", mac(2), ip("198.51.100.20")));

        assertTrue(f.handle(bootp(mac(1)).build()).isEmpty());
        assertTrue(f.handle(bootp(mac(2)).build()).isEmpty(), "a fixed address outside the subnet is no answer");

        assertEquals(2, f.dropped(Drop.BOOTP_NO_FIXED_ADDRESS));
        assertTrue(f.events.isEmpty());
    }

    @Test
    void relayedRequestIsAnsweredFromTheRelaysSubnetToTheRelay() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB, FAR).start();
        Inet4Address relay = ip("198.18.20.1");
        f.inventory.add(fixed("far07", NODE_MAC, ip("198.18.20.7")));

        Sent sent = onlyReply(f.handle(bootp(NODE_MAC).giaddr(relay).hops(1).build(), new InetSocketAddress(relay, 67),
                false));

        assertEquals(new InetSocketAddress(relay, 67), sent.recipient(), "RFC 1542: to the relay's server port");
        assertEquals(relay, sent.reply().giaddr());
        assertEquals(ip("198.18.20.7"), sent.reply().yiaddr());
        assertEquals(List.of(relay), sent.reply().options().routers());
    }

    @Test
    void clientThatKnowsItsAddressIsAnsweredThere() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB).start();
        f.inventory.add(fixed("node07", NODE_MAC, FIXED));

        Sent sent = onlyReply(f.handle(bootp(NODE_MAC).ciaddr(FIXED).build(), new InetSocketAddress(FIXED, 68), false));

        assertEquals(new InetSocketAddress(FIXED, 68), sent.recipient());
        assertEquals(FIXED, sent.reply().ciaddr());
    }

    @Test
    void bootpOffProxyModeAndThePxePortAnswerNothing() {
        Node node = fixed("node07", NODE_MAC, FIXED);
        DhcpFixture off = new DhcpFixture(settings("bootp", "false"), LAB).start();
        off.inventory.add(node);
        DhcpFixture proxy = new DhcpFixture(settings("mode", "proxy"), LAB).start();
        proxy.inventory.add(node);
        DhcpFixture on = new DhcpFixture(SERVER_MODE, LAB).start();
        on.inventory.add(node);

        assertTrue(off.handle(bootp(NODE_MAC).build()).isEmpty());
        assertTrue(proxy.handle(bootp(NODE_MAC).build()).isEmpty());
        assertTrue(on.handle(bootp(NODE_MAC).build(), new InetSocketAddress(FIXED, 68), true).isEmpty());

        for (DhcpFixture f : List.of(off, proxy, on)) {
            assertEquals(1, f.dropped(Drop.BOOTP));
            assertTrue(f.events.isEmpty());
        }
    }

    // ---------------------------------------------------------------- the timeline

    @Test
    void exchangeLeavesARequestAndAnAcknowledgementUnderBootpOnTheTimeline() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB).start();
        f.inventory.add(fixed("node07", NODE_MAC, FIXED));

        f.handle(bootp(NODE_MAC).build());

        assertEquals(List.of(BootEvent.Kind.REQUEST, BootEvent.Kind.ACK), f.events.stream().map(BootEvent::kind).toList());
        for (BootEvent event : f.events) {
            assertEquals("BOOTP", event.protocol().name());
            assertEquals(Optional.of(NODE_MAC), event.hardwareAddress());
        }
        assertEquals(FIXED, f.events.get(1).client(), "TFTP requests that follow come from the fixed address");
    }

    // ---------------------------------------------------------------- hostile input

    @Test
    void floodFromMadeUpMachinesCostsCountersAndOneLogLineNoEvents() {
        DhcpFixture f = new DhcpFixture(SERVER_MODE, LAB).start();
        f.inventory.add(Node.of("dynamic", NODE_MAC));
        String log;
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            for (int i = 0; i < 1000; i++) {
                f.handle(bootp(mac(1000 + i)).build());
                f.handle(bootp(NODE_MAC).build());
            }
            log = stderr.text();
        }

        assertTrue(f.sent().isEmpty());
        assertTrue(f.events.isEmpty(), "no boot event for a request that is not answered");
        assertEquals(1000, f.dropped(Drop.UNKNOWN_CLIENT));
        assertEquals(1000, f.dropped(Drop.BOOTP_NO_FIXED_ADDRESS));
        assertEquals(1, log.lines().filter(l -> l.contains("BOOTP answers only nodes of the inventory")).count(), log);
        assertEquals(1, log.lines().filter(l -> l.contains("BOOTP has no lease")).count(), log);
    }

    // ---------------------------------------------------------------- helpers

    /** A BOOTREQUEST as Linux's ipconfig and klibc send it: the cookie, no option 53, 300 bytes. */
    private static DhcpMessage.Builder bootp(HardwareAddress mac) {
        return DhcpMessage.builder().hardwareAddress(mac).xid(0x0b007000 + mac.hashCode() % 4096).secs(3);
    }

    private static Node fixed(String name, HardwareAddress mac, Inet4Address address) {
        return Node.builder(name, mac).address(address).build();
    }

    private static Sent onlyReply(List<Sent> replies) {
        assertEquals(1, replies.size(), () -> "expected one BOOTREPLY, got " + replies);
        return replies.get(0);
    }

    private static byte[] encode(DhcpMessage message) {
        ByteBuf buffer = DhcpEncoder.encode(UnpooledByteBufAllocator.DEFAULT, message, DhcpEncoder.ETHERNET_MAX_PAYLOAD);
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }
}

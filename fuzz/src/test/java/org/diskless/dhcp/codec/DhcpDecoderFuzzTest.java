package org.diskless.dhcp.codec;

import static org.diskless.fuzz.Refusals.readOrRefuse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

/**
 * Any datagram to port 67 or 4011. The decoder gives a message or a {@link DhcpPacketException},
 * the channel stays open and the datagram's buffer is released. Then what the server does with
 * every message must hold too: each typed getter reads a value or absent (option 43 as PXE
 * sub-options included), a request encodes to bytes that decode to the same message, and a reply
 * carrying the request's options fits the client's limit and keeps every option it does not
 * leave out byte for byte, long options split over the overloaded file and sname fields included.
 */
class DhcpDecoderFuzzTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 68);
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 67);
    /** The options DhcpEncoder never leaves out of a reply (its ALWAYS_KEPT). */
    private static final Set<Integer> NEVER_LEFT_OUT = Set.of(DhcpOptions.MESSAGE_TYPE, DhcpOptions.SERVER_IDENTIFIER,
            DhcpOptions.LEASE_TIME, DhcpOptions.RENEWAL_TIME, DhcpOptions.REBINDING_TIME, DhcpOptions.SUBNET_MASK,
            DhcpOptions.CLIENT_IDENTIFIER, DhcpOptions.RELAY_AGENT_INFORMATION);

    @FuzzTest
    void decode(byte[] datagram) throws Exception {
        ByteBuf content = Unpooled.buffer(datagram.length).writeBytes(datagram);
        EmbeddedChannel channel = new EmbeddedChannel(new DhcpDecoder());
        Optional<Boolean> written = readOrRefuse(
                () -> channel.writeInbound(new DatagramPacket(content, SERVER, CLIENT)), DhcpPacketException.class);
        assertTrue(channel.isOpen(), "a bad datagram closed the channel");
        assertEquals(0, content.refCnt(), "the datagram's buffer was not released");
        if (written.isPresent()) {
            AddressedEnvelope<DhcpMessage, InetSocketAddress> envelope = channel.readInbound();
            DhcpMessage message = envelope.content();
            readEverything(message);
            if (message.op() == DhcpOp.BOOTREQUEST) {
                assertEquals(message, decode(DhcpEncoder.encode(UnpooledByteBufAllocator.DEFAULT, message,
                        Integer.MAX_VALUE)), "a request does not survive encode and decode");
            }
            assertReplyKeepsOptions(message);
        }
        channel.finishAndReleaseAll();
    }

    /** What the server and the boot timelines read of a message; none of it may throw. */
    private static void readEverything(DhcpMessage message) {
        message.hardwareAddress();
        message.serverName();
        message.bootFileName();
        message.isRelayed();
        message.toString();
        DhcpOptions options = message.options();
        options.messageType();
        options.subnetMask();
        options.routers();
        options.domainNameServers();
        options.hostName();
        options.domainName();
        options.requestedIpAddress();
        options.serverIdentifier();
        options.leaseTime();
        options.renewalTime();
        options.rebindingTime();
        options.parameterRequestList().forEach(Integer::intValue);
        options.maxMessageSize();
        options.clientIdentifier();
        options.vendorClassIdentifier();
        options.pxeClientClass().ifPresent(PxeClientClass::toString);
        options.clientArchitectures();
        options.clientNdi();
        options.clientMachineUuid();
        options.clientMachineUuidInWireOrder();
        options.userClasses();
        options.relayAgentInformation();
        options.tftpServerName();
        options.bootfileName();
        options.pxeVendorOptions().ifPresent(DhcpDecoderFuzzTest::readAndRoundTrip);
    }

    private static void readAndRoundTrip(PxeVendorOptions pxe) {
        pxe.discoveryControl();
        pxe.mtftpAddress();
        pxe.mtftpClientPort();
        pxe.mtftpServerPort();
        pxe.mtftpTimeout();
        pxe.mtftpDelay();
        pxe.discoveryMulticastAddress();
        pxe.bootServers();
        pxe.bootMenu();
        pxe.menuPrompt();
        pxe.bootItem();
        assertEquals(pxe, PxeVendorOptions.parse(pxe.toByteArray()), "option 43 does not survive a rewrite");
    }

    /**
     * A reply carrying the request's options, as a ProxyDHCP or a server echoing what it was sent
     * would build it: encoded within the client's limit (or refused when the options that are never
     * left out do not fit), and every option that is not left out reads back unchanged.
     */
    private static void assertReplyKeepsOptions(DhcpMessage request) throws Exception {
        DhcpMessage reply = DhcpMessage.replyTo(request).options(request.options()).build();
        Optional<ByteBuf> encoded = readOrRefuse(
                () -> DhcpEncoder.encode(UnpooledByteBufAllocator.DEFAULT, reply, DhcpEncoder.ETHERNET_MAX_PAYLOAD),
                IllegalArgumentException.class);
        if (encoded.isEmpty()) {
            return;
        }
        int size = encoded.get().readableBytes();
        assertTrue(size <= DhcpEncoder.receiverLimit(reply), "a reply of " + size + " bytes is over the client's limit");
        DhcpOptions sent = reply.options();
        DhcpOptions received = decode(encoded.get()).options();
        for (int code : sent.codes()) {
            if (received.contains(code)) {
                assertArrayEquals(sent.raw(code), received.raw(code), "option " + code + " changed on the way");
            } else {
                assertTrue(!NEVER_LEFT_OUT.contains(code), "option " + code + " is never to be left out");
            }
        }
        assertEquals(Set.copyOf(received.codes()).size(), received.size());
        assertTrue(sent.codes().containsAll(received.codes()), "a reply grew an option");
    }

    private static DhcpMessage decode(ByteBuf encoded) {
        try {
            return DhcpDecoder.decode(encoded);
        } finally {
            encoded.release();
        }
    }
}

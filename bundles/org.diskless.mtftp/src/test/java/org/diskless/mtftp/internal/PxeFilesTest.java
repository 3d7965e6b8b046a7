package org.diskless.mtftp.internal;

import static org.diskless.mtftp.internal.PxeHarness.GROUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.boot.MulticastTftp;
import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpEncoder;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpRequest;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;

/** What the server port answers, what DHCP is told, and MTFTP's 65,535-block limit. */
class PxeFilesTest extends PxeTests {

    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.10", 2070);
    private static final long MAX_SIZE = 65_535L * 512 - 1;

    @Test
    void dhcpIsToldTheChannelOfAConfiguredFileWhateverSlashesItsNameHas() throws Exception {
        PxeHarness h = track(new PxeHarness());
        h.resolver.file("boot/pxelinux.0", 1000);
        h.serving("boot/pxelinux.0");
        MulticastTftp.Channel expected = new MulticastTftp.Channel(
                (java.net.Inet4Address) GROUP.getAddress(), 1758, 1759, 2, 4);
        assertEquals(Optional.of(expected), h.files.channelFor("/boot/pxelinux.0"));
        assertEquals(Optional.of(expected), h.files.channelFor("boot\\pxelinux.0"));
        assertEquals(Optional.empty(), h.files.channelFor("boot/other.0"));
    }

    @Test
    void aFileOf65535BlocksIsMulticastItsBlock65535BeingTheShortLastOne() throws Exception {
        PxeHarness h = track(new PxeHarness());
        h.resolver.file("big", MAX_SIZE);
        h.serving("big");
        assertTrue(h.files.channelFor("big").isPresent());
        h.open(A, "big");
        h.expectData(0, 1, A);
        GroupContent content = new GroupContent("big", MAX_SIZE, new PatternContent(MAX_SIZE), 512);
        assertEquals(65_535, content.lastBlock());
        ByteBuf last = content.packet(65_535, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(TftpEncoder.DATA_HEADER_SIZE + 511, last.readableBytes());
            assertEquals(0xFFFF, last.getUnsignedShort(2));
            assertEquals(PatternContent.at(MAX_SIZE - 1), last.getByte(last.writerIndex() - 1));
        } finally {
            last.release();
            content.close();
        }
    }

    @Test
    void aFileOneByteLargerIsRefusedOverMtftpAndNeverAdvertised() throws Exception {
        PxeHarness h = track(new PxeHarness());
        h.resolver.file("big", MAX_SIZE + 1);
        h.serving("big");
        assertEquals(Optional.empty(), h.files.channelFor("big"), "DHCP sends such clients to unicast TFTP");
        h.open(A, "big");
        assertEquals(TftpErrorCode.NOT_DEFINED.code(), h.expectErrorFromServerPort(A).code());
        assertTrue(h.roundPorts.isEmpty());
        assertTrue(h.resolver.opened.isEmpty(), "the file is not even opened");
    }

    @Test
    void aGeneratedFileIsNeitherAdvertisedNorSent() throws Exception {
        PxeHarness h = track(new PxeHarness());
        h.resolver.generated("pxelinux.cfg/default", 300);
        h.serving("pxelinux.cfg/default");
        assertEquals(Optional.empty(), h.files.channelFor("pxelinux.cfg/default"));
        h.open(A, "pxelinux.cfg/default");
        assertEquals(TftpErrorCode.ACCESS_VIOLATION.code(), h.expectErrorFromServerPort(A).code());
        assertTrue(h.roundPorts.isEmpty());
    }

    @Test
    void aNameNotMulticastGetsFileNotFound() throws Exception {
        PxeHarness h = track(new PxeHarness());
        h.resolver.file("pxelinux.0", 1000).file("vmlinuz", 1000);
        h.serving("pxelinux.0");
        h.open(A, "vmlinuz");
        assertEquals(TftpErrorCode.FILE_NOT_FOUND.code(), h.expectErrorFromServerPort(A).code());
        assertEquals(1, h.counters.refusedNotMulticast.sum());
    }

    @Test
    void netasciiIsRefused() throws Exception {
        PxeHarness h = track(new PxeHarness());
        h.resolver.file("pxelinux.0", 1000);
        h.serving("pxelinux.0");
        h.open(A, "pxelinux.0", "netascii");
        assertEquals(TftpErrorCode.ILLEGAL_OPERATION.code(), h.expectErrorFromServerPort(A).code());
        assertTrue(h.roundPorts.isEmpty());
    }

    @Test
    void writesAndStrayPacketsAreAnsweredAndGarbageLeavesThePortOpen() throws Exception {
        PxeHarness h = track(new PxeHarness());
        h.resolver.file("pxelinux.0", 1000);
        h.serving("pxelinux.0");
        h.serverPort.writeInbound(new DefaultAddressedEnvelope<TftpPacket, InetSocketAddress>(
                TftpRequest.write("x", "octet", Map.of()), PxeHarness.SERVER_PORT, A));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION.code(), h.expectErrorFromServerPort(A).code());
        h.serverPort.writeInbound(new DefaultAddressedEnvelope<TftpPacket, InetSocketAddress>(
                new TftpAck(3), PxeHarness.SERVER_PORT, A));
        assertEquals(TftpErrorCode.UNKNOWN_TRANSFER_ID.code(), h.expectErrorFromServerPort(A).code());
        h.serverPort.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {0, 9, 1}),
                PxeHarness.SERVER_PORT, A));
        assertEquals(TftpErrorCode.ILLEGAL_OPERATION.code(), h.expectErrorFromServerPort(A).code());
        assertEquals(1, h.counters.malformedPackets.sum());
        assertTrue(h.serverPort.isOpen());
        h.open(A, "pxelinux.0");
        h.expectData(0, 1, A);
    }
}

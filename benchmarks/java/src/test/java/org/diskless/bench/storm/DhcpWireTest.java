package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DhcpWireTest {

    @Test
    void aDiscoverCarriesWhatAPxeRomSends() {
        ByteBuffer discover = DhcpWire.discover(42, new byte[] {2, 0x5a, 0, 0, 0, 1}, new byte[16], 3);

        assertEquals(1, discover.get(0), "BOOTREQUEST");
        assertEquals(42, discover.getInt(4));
        assertEquals(3, discover.getShort(8));
        assertEquals((short) 0x8000, discover.getShort(10), "broadcast flag");
        assertTrue(discover.remaining() >= 300);
        String text = StandardCharsets.US_ASCII.decode(discover.duplicate()).toString();
        assertTrue(text.contains(DhcpWire.PXE_VENDOR_CLASS));
    }

    @Test
    void readsOption43FromAnOfferAndTheBootFileFromOption67WhenTheFieldIsEmpty() throws Exception {
        ByteBuffer b = header();
        option(b, 53, 2);
        option(b, 43, 1, 4, 233, 252, 0, 1, 2, 2, 6, 0xde, 3, 2, 6, 0xdf, 4, 1, 2, 5, 1, 4, 255);
        b.put((byte) 67).put((byte) 10).put("pxelinux.0".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 255).flip();

        DhcpWire.Reply reply = DhcpWire.parseReply(b).orElseThrow();

        assertEquals(DhcpWire.OFFER, reply.type());
        assertEquals(Optional.of("pxelinux.0"), reply.bootFile());
        assertEquals(InetAddress.getByName("233.252.0.1"), reply.mtftp().orElseThrow().group());
    }

    @Test
    void joinsASplitOptionAndReadsOverloadedFields() {
        ByteBuffer b = header();
        option(b, 53, 5);
        option(b, 52, 1); // the file field holds options
        option(b, 43, 1, 4, 233, 252, 0, 3, 2, 2, 6, 0xde);   // RFC 3396: option 43 in two parts
        b.put((byte) 255);
        b.position(108);
        option(b, 43, 3, 2, 6, 0xdf, 4, 1, 2, 5, 1, 4);
        b.put((byte) 255);
        b.position(b.capacity()).flip();

        DhcpWire.Reply reply = DhcpWire.parseReply(b).orElseThrow();

        assertEquals(1759, reply.mtftp().orElseThrow().serverPort());
        assertEquals(Optional.empty(), reply.bootFile());
    }

    @Test
    void malformedRepliesAreDropped() {
        ByteBuffer b = header();
        b.put((byte) 53).put((byte) 5); // the length runs past the end
        b.flip();

        assertEquals(Optional.empty(), DhcpWire.parseReply(b));
        assertEquals(Optional.empty(), DhcpWire.parseReply(ByteBuffer.allocate(100)));
    }

    private static ByteBuffer header() {
        ByteBuffer b = ByteBuffer.allocate(548);
        b.put((byte) 2).put((byte) 1).put((byte) 6).put((byte) 0).putInt(7);
        b.position(236).putInt(0x63825363);
        return b;
    }

    private static void option(ByteBuffer b, int code, int... value) {
        b.put((byte) code).put((byte) value.length);
        for (int v : value) {
            b.put((byte) v);
        }
    }
}

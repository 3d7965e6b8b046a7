package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.mac;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpEncoder;
import org.diskless.dhcp.codec.DhcpMessage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/** Datagrams as bytes, for the tests of what reaches port 67: encoded messages and hand-made ones. */
final class Wire {

    static final byte[] COOKIE = hex("63825363");

    private Wire() {
    }

    /** What {@link #malformed} makes: each a datagram the decoder refuses. */
    static List<String> malformedKinds() {
        return List.of("truncated", "option past the end", "length byte missing", "zero-length message type",
                "only zero-length options", "hlen above 16", "bad op", "overload repeated", "overload value 4",
                "overload of two bytes", "overload inside the file field",
                "option past the end of the overloaded file field");
    }

    /** A DISCOVER from {@code client} spoiled in one of the {@link #malformedKinds} ways. */
    static byte[] malformed(int client, String kind) {
        byte[] good = encode(DhcpFixture.discover(mac(client)));
        return switch (kind) {
            case "truncated" -> Arrays.copyOf(good, 100);
            case "option past the end" -> concat(header(client), COOKIE, hex("35 01 01 0c 20 41 42"));
            case "length byte missing" -> concat(header(client), COOKIE, hex("35 01 01 0c"));
            case "zero-length message type" -> concat(header(client), COOKIE, hex("35 00 ff"));
            case "only zero-length options" -> concat(header(client), COOKIE, hex("35 00 3d 00 37 00 ff"));
            case "hlen above 16" -> withByte(good, 2, 17);
            case "bad op" -> withByte(good, 0, 3);
            case "overload repeated" -> concat(header(client), COOKIE, hex("35 01 01 34 01 01 34 01 01 ff"));
            case "overload value 4" -> concat(header(client), COOKIE, hex("35 01 01 34 01 04 ff"));
            case "overload of two bytes" -> concat(header(client), COOKIE, hex("35 01 01 34 02 01 01 ff"));
            case "overload inside the file field" -> concat(withFile(header(client), hex("34 01 02 ff")), COOKIE,
                    hex("35 01 01 34 01 01 ff"));
            case "option past the end of the overloaded file field" -> concat(withFile(header(client), hex("0c ff 41")),
                    COOKIE, hex("35 01 01 34 01 01 ff"));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The message as the encoder puts it on the wire. */
    static byte[] encode(DhcpMessage.Builder message) {
        ByteBuf encoded = DhcpEncoder.encode(ByteBufAllocator.DEFAULT, message.build(), DhcpEncoder.ETHERNET_MAX_PAYLOAD);
        try {
            return ByteBufUtil.getBytes(encoded);
        } finally {
            encoded.release();
        }
    }

    /** A BOOTREQUEST header from client {@code client}, without cookie or options. */
    static byte[] header(int client) {
        byte[] header = new byte[DhcpDecoder.HEADER_SIZE];
        header[0] = 1;
        header[1] = 1;
        header[2] = 6;
        header[4] = 0x12;
        System.arraycopy(mac(client).toByteArray(), 0, header, 28, 6);
        return header;
    }

    /** The header with its 128-byte file field (offset 108) starting with {@code content}. */
    static byte[] withFile(byte[] header, byte[] content) {
        return withField(header, DhcpDecoder.FILE_OFFSET, content);
    }

    /** The header with its 64-byte sname field (offset 44) starting with {@code content}. */
    static byte[] withSname(byte[] header, byte[] content) {
        return withField(header, DhcpDecoder.SNAME_OFFSET, content);
    }

    private static byte[] withField(byte[] header, int offset, byte[] content) {
        byte[] copy = header.clone();
        System.arraycopy(content, 0, copy, offset, content.length);
        return copy;
    }

    static byte[] withByte(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

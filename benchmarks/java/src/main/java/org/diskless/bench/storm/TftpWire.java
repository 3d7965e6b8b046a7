package org.diskless.bench.storm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The few TFTP packets a booting client sends and reads (RFC 1350, options RFC 2347-2349), written
 * here rather than with the server's codec for the same reason as {@link DhcpWire}.
 */
final class TftpWire {

    static final int RRQ = 1;
    static final int DATA = 3;
    static final int ACK = 4;
    static final int ERROR = 5;
    static final int OACK = 6;

    private TftpWire() {
    }

    /** A read request in octet mode; {@code options} as name, value, name, value... */
    static ByteBuffer readRequest(String file, String... options) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) RRQ);
        text(b, file);
        text(b, "octet");
        for (String option : options) {
            text(b, option);
        }
        return b.flip();
    }

    static ByteBuffer ack(int block) {
        return ByteBuffer.allocate(4).putShort((short) ACK).putShort((short) block).flip();
    }

    static int opcode(ByteBuffer packet) {
        return packet.remaining() < 2 ? -1 : packet.getShort(packet.position()) & 0xffff;
    }

    /** The block number of a DATA packet (at least 4 bytes). */
    static int block(ByteBuffer packet) {
        return packet.getShort(packet.position() + 2) & 0xffff;
    }

    /** The data of a DATA packet, as a view. */
    static ByteBuffer payload(ByteBuffer packet) {
        return packet.duplicate().position(packet.position() + 4);
    }

    /** An OACK's options, names in lower case; a malformed one gives what could be read. */
    static Map<String, String> options(ByteBuffer oack) {
        Map<String, String> options = new HashMap<>();
        ByteBuffer b = oack.duplicate().position(oack.position() + 2);
        while (b.hasRemaining()) {
            String name = text(b);
            if (name == null || !b.hasRemaining()) {
                break;
            }
            String value = text(b);
            if (value == null) {
                break;
            }
            options.put(name.toLowerCase(Locale.ROOT), value);
        }
        return options;
    }

    /** "code message" of an ERROR packet, the message cut and stripped of control characters. */
    static String error(ByteBuffer packet) {
        if (packet.remaining() < 4) {
            return "(truncated ERROR)";
        }
        int code = packet.getShort(packet.position() + 2) & 0xffff;
        String message = text(packet.duplicate().position(packet.position() + 4));
        message = message == null ? "" : message.replaceAll("\\p{Cntrl}", "?");
        return code + " " + message.substring(0, Math.min(message.length(), 80));
    }

    private static void text(ByteBuffer b, String s) {
        b.put(s.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
    }

    /** A NUL-terminated string from the position, or null when the NUL is missing. */
    private static String text(ByteBuffer b) {
        int start = b.position();
        for (int i = start; i < b.limit(); i++) {
            if (b.get(i) == 0) {
                byte[] raw = new byte[i - start];
                b.get(raw);
                b.get();
                return new String(raw, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }
}

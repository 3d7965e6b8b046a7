package org.diskless.tftp.codec;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * RRQ or WRQ: the file, the transfer mode and the RFC 2347 options in the order the client sent
 * them. Option names are lower-cased (they are case-insensitive on the wire); the first of a
 * repeated option wins.
 */
public record TftpRequest(TftpOpcode opcode, String filename, String mode, Map<String, String> options)
        implements TftpPacket {

    public TftpRequest {
        if (opcode != TftpOpcode.RRQ && opcode != TftpOpcode.WRQ) {
            throw new IllegalArgumentException("a request is RRQ or WRQ, not " + opcode);
        }
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(mode, "mode");
        options = TftpOptionAck.copyOptions(options);
    }

    public static TftpRequest read(String filename, String mode, Map<String, String> options) {
        return new TftpRequest(TftpOpcode.RRQ, filename, mode, options);
    }

    public static TftpRequest write(String filename, String mode, Map<String, String> options) {
        return new TftpRequest(TftpOpcode.WRQ, filename, mode, options);
    }

    /** The mode as lower case: {@code octet}, {@code netascii}, {@code mail} or what the client sent. */
    public String normalizedMode() {
        return mode.toLowerCase(Locale.ROOT);
    }
}

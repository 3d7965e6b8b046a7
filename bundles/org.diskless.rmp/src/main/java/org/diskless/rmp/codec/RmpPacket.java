package org.diskless.rmp.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * The five RMP packets. Field widths are the protocol's: sequence numbers and offsets are
 * unsigned 32-bit, session ids and sizes unsigned 16-bit, names at most 255 bytes.
 */
public sealed interface RmpPacket {

    int BOOT_REQUEST = 1;
    int READ_REQUEST = 2;
    int BOOT_COMPLETE = 3;
    int BOOT_REPLY = 129;
    int READ_REPLY = 130;

    /** Protocol version the server announces in boot replies. */
    int VERSION = 2;

    /** Session id of the two probes (server identify and boot file list). */
    int PROBE_SESSION = 0xFFFF;

    /** Width of the machine type field of a boot request, blank padded. */
    int MACHINE_TYPE_LENGTH = 20;

    /** A name in a boot request or reply has a one-byte length. */
    int MAX_NAME_LENGTH = 255;

    int type();

    /**
     * Boot request: a probe ({@link #PROBE_SESSION}) asks for the server's name (sequence number
     * 0) or the n-th boot file; otherwise it opens a session for {@code fileName}.
     */
    record BootRequest(int retcode, long sequence, int session, int version, String machineType,
            String fileName) implements RmpPacket {
        public BootRequest {
            checkUnsigned8("retcode", retcode);
            checkUnsigned32("sequence", sequence);
            checkUnsigned16("session", session);
            checkUnsigned16("version", version);
            Objects.requireNonNull(machineType, "machineType");
            if (machineType.length() > MACHINE_TYPE_LENGTH) {
                throw new IllegalArgumentException("machine type longer than " + MACHINE_TYPE_LENGTH
                        + " characters: " + machineType);
            }
            checkName(fileName);
        }

        public boolean isProbe() {
            return session == PROBE_SESSION;
        }

        @Override
        public int type() {
            return BOOT_REQUEST;
        }
    }

    /** Boot reply: the server's name, a boot file name, or the session opened for a file. */
    record BootReply(RmpRetcode retcode, long sequence, int session, int version, String fileName)
            implements RmpPacket {
        public BootReply {
            Objects.requireNonNull(retcode, "retcode");
            checkUnsigned32("sequence", sequence);
            checkUnsigned16("session", session);
            checkUnsigned16("version", version);
            checkName(fileName);
        }

        @Override
        public int type() {
            return BOOT_REPLY;
        }
    }

    /** Read request: {@code size} bytes of the session's file from {@code offset}. */
    record ReadRequest(int retcode, long offset, int session, int size) implements RmpPacket {
        public ReadRequest {
            checkUnsigned8("retcode", retcode);
            checkUnsigned32("offset", offset);
            checkUnsigned16("session", session);
            checkUnsigned16("size", size);
        }

        @Override
        public int type() {
            return READ_REQUEST;
        }
    }

    /** Read reply: the data read at {@code offset}, or a return code and no data. */
    record ReadReply(RmpRetcode retcode, long offset, int session, byte[] data) implements RmpPacket {
        public ReadReply {
            Objects.requireNonNull(retcode, "retcode");
            checkUnsigned32("offset", offset);
            checkUnsigned16("session", session);
            data = data.clone();
            if (data.length > RmpCodec.MAX_READ_DATA) {
                throw new IllegalArgumentException("a read reply carries at most " + RmpCodec.MAX_READ_DATA
                        + " bytes, not " + data.length);
            }
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int length() {
            return data.length;
        }

        @Override
        public int type() {
            return READ_REPLY;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ReadReply other && retcode == other.retcode && offset == other.offset
                    && session == other.session && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(retcode, offset, session) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "ReadReply[retcode=" + retcode + ", offset=" + offset + ", session=" + session + ", "
                    + data.length + " bytes]";
        }
    }

    /** Boot complete: the client is done with the session. */
    record BootComplete(int retcode, int session) implements RmpPacket {
        public BootComplete {
            checkUnsigned8("retcode", retcode);
            checkUnsigned16("session", session);
        }

        @Override
        public int type() {
            return BOOT_COMPLETE;
        }
    }

    private static void checkUnsigned8(String field, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(field + " is an unsigned 8-bit field, not " + value);
        }
    }

    private static void checkUnsigned16(String field, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " is an unsigned 16-bit field, not " + value);
        }
    }

    private static void checkUnsigned32(String field, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(field + " is an unsigned 32-bit field, not " + value);
        }
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "fileName");
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("names have a one-byte length; this one has " + name.length()
                    + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("names are single-byte characters: " + name);
            }
        }
    }
}

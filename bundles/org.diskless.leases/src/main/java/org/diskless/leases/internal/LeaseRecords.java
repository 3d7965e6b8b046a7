package org.diskless.leases.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.zip.CRC32C;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;

/**
 * The on-disk format shared by journals and snapshots. Every file and every record checks itself,
 * so recovery can tell a write cut short by a crash from a good record without trusting anything
 * but the bytes.
 *
 * <pre>
 * File header, 20 bytes (big-endian like every number here):
 *   0  4  magic: "DLLJ" in a journal, "DLLS" in a snapshot
 *   4  2  format version, 1
 *   6  2  zero (reserved)
 *   8  8  generation: the number in the file name, checked against it
 *  16  4  CRC-32C of bytes 0-15
 *
 * Record, 8 + N bytes, records follow each other without gaps:
 *   0  4  N, the payload length (1 .. MAX_PAYLOAD)
 *   4  4  CRC-32C of bytes 0-3 and of the payload, so a damaged length is caught too
 *   8  N  payload, first byte the kind:
 *
 *   kind 1, LEASE:  u8 kind, u8 state (0 OFFERED, 1 BOUND, 2 RELEASED, 3 DECLINED),
 *                   4 bytes IPv4 address, i64 start epoch second, i32 start nanos,
 *                   i64 expiry epoch second, i32 expiry nanos,
 *                   u8 hardware type, u8 hardware address length L (1-16), L bytes,
 *                   u16 client id length M, M bytes of UTF-8 client id
 *   kind 2, END:    u8 kind, i64 count of LEASE records before it
 *                   (the last record of a snapshot; a snapshot without it is incomplete)
 * </pre>
 *
 * A journal is a header and LEASE records in commit order. A snapshot is a header, the live leases
 * as LEASE records in commit order (so replaying it rebuilds the same index) and one END record.
 */
final class LeaseRecords {

    static final int HEADER_SIZE = 20;
    static final int RECORD_OVERHEAD = 8;
    static final int FORMAT_VERSION = 1;
    static final int JOURNAL_MAGIC = 0x444C4C4A; // "DLLJ"
    static final int SNAPSHOT_MAGIC = 0x444C4C53; // "DLLS"

    static final byte KIND_LEASE = 1;
    static final byte KIND_END = 2;

    static final int MAX_CLIENT_ID_BYTES = 0xFFFF;
    /** Largest payload a valid record can have: a lease with the longest client id allowed. */
    static final int MAX_PAYLOAD = 1 + 1 + 4 + 12 + 12 + 2 + 16 + 2 + MAX_CLIENT_ID_BYTES;
    private static final int LEASE_FIXED_PAYLOAD = 1 + 1 + 4 + 12 + 12 + 2 + 2;
    private static final int END_PAYLOAD = 1 + 8;

    private static final Lease.State[] STATES = Lease.State.values();

    private LeaseRecords() {
    }

    /** A record read back: a lease, or the end mark of a snapshot with its count. */
    sealed interface Decoded permits DecodedLease, DecodedEnd {
    }

    record DecodedLease(Lease lease) implements Decoded {
    }

    record DecodedEnd(long count) implements Decoded {
    }

    /** Thrown when a payload passes its checksum but does not make sense; treated as damage. */
    static final class MalformedRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedRecordException(String message) {
            super(message);
        }
    }

    static int recordSize(Lease lease) {
        return RECORD_OVERHEAD + leasePayloadSize(lease);
    }

    private static int leasePayloadSize(Lease lease) {
        return LEASE_FIXED_PAYLOAD + lease.hardwareAddress().length() + clientIdBytes(lease).length;
    }

    private static byte[] clientIdBytes(Lease lease) {
        return lease.clientId().getBytes(StandardCharsets.UTF_8);
    }

    /** Why a lease cannot be stored, or null if it can. */
    static String unstorableReason(Lease lease) {
        int length = lease.clientId().getBytes(StandardCharsets.UTF_8).length;
        return length > MAX_CLIENT_ID_BYTES
                ? "client id of " + length + " bytes is longer than " + MAX_CLIENT_ID_BYTES
                : null;
    }

    /** Appends one framed LEASE record; the buffer must have {@link #recordSize} bytes left. */
    static void putLease(ByteBuffer out, Lease lease) {
        byte[] clientId = clientIdBytes(lease);
        byte[] hardware = lease.hardwareAddress().toByteArray();
        int start = out.position();
        int payload = LEASE_FIXED_PAYLOAD + hardware.length + clientId.length;
        out.putInt(payload).putInt(0);
        out.put(KIND_LEASE)
                .put((byte) lease.state().ordinal())
                .put(lease.address().getAddress())
                .putLong(lease.start().getEpochSecond()).putInt(lease.start().getNano())
                .putLong(lease.expires().getEpochSecond()).putInt(lease.expires().getNano())
                .put((byte) lease.hardwareAddress().type())
                .put((byte) hardware.length).put(hardware)
                .putShort((short) clientId.length).put(clientId);
        sealRecord(out, start, payload);
    }

    static void putEnd(ByteBuffer out, long count) {
        int start = out.position();
        out.putInt(END_PAYLOAD).putInt(0).put(KIND_END).putLong(count);
        sealRecord(out, start, END_PAYLOAD);
    }

    private static void sealRecord(ByteBuffer out, int start, int payload) {
        out.putInt(start + 4, recordCrc(out, start, payload));
    }

    /** CRC-32C of the length field and the payload of the record at {@code start}. */
    static int recordCrc(ByteBuffer buffer, int start, int payload) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(start).limit(start + 4));
        crc.update(buffer.duplicate().position(start + RECORD_OVERHEAD).limit(start + RECORD_OVERHEAD + payload));
        return (int) crc.getValue();
    }

    static ByteBuffer header(int magic, long generation) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.putInt(magic).putShort((short) FORMAT_VERSION).putShort((short) 0).putLong(generation);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 16);
        header.putInt((int) crc.getValue());
        return header.flip();
    }

    /** Why a header is not the one expected, or null if it is. */
    static String headerProblem(ByteBuffer header, int magic, long generation) {
        if (header.remaining() < HEADER_SIZE) {
            return "the header is cut short (" + header.remaining() + " of " + HEADER_SIZE + " bytes)";
        }
        int at = header.position();
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().limit(at + 16));
        if ((int) crc.getValue() != header.getInt(at + 16)) {
            return "the header checksum does not match";
        }
        if (header.getInt(at) != magic) {
            return "it is not a lease " + (magic == JOURNAL_MAGIC ? "journal" : "snapshot");
        }
        if (header.getShort(at + 4) != FORMAT_VERSION) {
            return "format version " + header.getShort(at + 4) + " is not the version " + FORMAT_VERSION
                    + " this bundle reads";
        }
        if (header.getLong(at + 8) != generation) {
            return "the header says generation " + header.getLong(at + 8) + " but the file name " + generation;
        }
        return null;
    }

    /** Decodes a payload whose checksum has already been verified. */
    static Decoded decode(ByteBuffer payload) throws MalformedRecordException {
        try {
            byte kind = payload.get();
            if (kind == KIND_END) {
                if (payload.remaining() != END_PAYLOAD - 1) {
                    throw new MalformedRecordException("an end record must have " + END_PAYLOAD + " bytes");
                }
                return new DecodedEnd(payload.getLong());
            }
            if (kind != KIND_LEASE) {
                throw new MalformedRecordException("unknown record kind " + kind);
            }
            int state = Byte.toUnsignedInt(payload.get());
            if (state >= STATES.length) {
                throw new MalformedRecordException("unknown lease state " + state);
            }
            byte[] address = new byte[4];
            payload.get(address);
            Instant start = instant(payload.getLong(), payload.getInt());
            Instant expires = instant(payload.getLong(), payload.getInt());
            int hardwareType = Byte.toUnsignedInt(payload.get());
            byte[] hardware = new byte[Byte.toUnsignedInt(payload.get())];
            payload.get(hardware);
            byte[] clientId = new byte[Short.toUnsignedInt(payload.getShort())];
            payload.get(clientId);
            if (payload.hasRemaining()) {
                throw new MalformedRecordException(payload.remaining() + " bytes left over after the lease");
            }
            return new DecodedLease(Lease.of(new String(clientId, StandardCharsets.UTF_8),
                    HardwareAddress.of(hardwareType, hardware), ipv4(address), start, expires, STATES[state]));
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException("the payload ends inside a field");
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new MalformedRecordException(e.getMessage());
        }
    }

    private static Instant instant(long seconds, int nanos) throws MalformedRecordException {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new MalformedRecordException("nanoseconds out of range: " + nanos);
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static Inet4Address ipv4(byte[] address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }
}

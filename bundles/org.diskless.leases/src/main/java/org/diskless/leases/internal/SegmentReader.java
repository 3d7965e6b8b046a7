package org.diskless.leases.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.diskless.leases.internal.LeaseRecords.Decoded;
import org.diskless.leases.internal.LeaseRecords.MalformedRecordException;

/**
 * Reads the records of one journal or snapshot file and says exactly which bytes could not be
 * read. After a bad record it looks for the next good one byte by byte: if there is one, the bad
 * bytes are damage in the middle (reported, skipped); if there is none, they are the file's tail,
 * which in the newest journal is a write cut short by a crash.
 *
 * <p>A journal is created with zeros up to its preallocated size, so the zeros after the last
 * non-zero byte are room not yet written, neither records nor damage. (A record's own last bytes
 * may be zero; the scan reads every record whole, wherever the zeros start.)
 */
final class SegmentReader {

    private static final int WINDOW = 1 << 20;

    /** Bytes that could not be read, where, and why. */
    record Damage(long offset, long length, String reason) {
    }

    /**
     * What a scan found: the valid records went to the sink in order. {@code written}: the file
     * holds more than its header and zeros (a journal made ahead of time and never used does not).
     */
    record Scan(String headerProblem, List<Damage> damage, Damage tail, long validEnd, long records,
                boolean written) {

        boolean clean() {
            return headerProblem == null && damage.isEmpty() && tail == null;
        }
    }

    interface RecordSink {
        void accept(Decoded record, long offset) throws IOException;
    }

    private final FileChannel channel;
    private final long size;
    /** Just after the last non-zero byte: what was written; the rest is preallocated room. */
    private final long dataEnd;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW + LeaseRecords.MAX_PAYLOAD + LeaseRecords.RECORD_OVERHEAD);
    private long windowStart;
    private int windowLength;
    private String lastProblem;

    private SegmentReader(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.dataEnd = findDataEnd();
    }

    /**
     * The offset just after the last non-zero byte of the file, read backwards a window at a time
     * (the scan's window, left empty afterwards).
     */
    private long findDataEnd() throws IOException {
        long end = size;
        while (end > 0) {
            int length = (int) Math.min(WINDOW, end);
            long start = end - length;
            window.clear().limit(length);
            while (window.hasRemaining()) {
                if (channel.read(window, start + window.position()) < 0) {
                    throw new IOException("the file shrank while being read");
                }
            }
            int i = length;
            while (i >= Long.BYTES && window.getLong(i - Long.BYTES) == 0) {
                i -= Long.BYTES; // a journal's room is megabytes of zeros: eight bytes at a time
            }
            for (i--; i >= 0; i--) {
                if (window.get(i) != 0) {
                    window.clear();
                    return start + i + 1;
                }
            }
            end = start;
        }
        window.clear();
        return 0;
    }

    static Scan scan(Path file, int magic, long generation, RecordSink sink) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new SegmentReader(channel).scan(magic, generation, sink);
        }
    }

    private Scan scan(int magic, long generation, RecordSink sink) throws IOException {
        String headerProblem = ensure(0, LeaseRecords.HEADER_SIZE)
                ? LeaseRecords.headerProblem(window.duplicate().position(0).limit(LeaseRecords.HEADER_SIZE), magic, generation)
                : "the header is cut short (" + size + " of " + LeaseRecords.HEADER_SIZE + " bytes)";
        List<Damage> damage = new ArrayList<>();
        Damage tail = null;
        long records = 0;
        long position = Math.min(LeaseRecords.HEADER_SIZE, size);
        while (position < dataEnd) {
            int length = recordAt(position);
            if (length > 0) {
                sink.accept(decodedAt(position), position);
                records++;
                position += length;
                continue;
            }
            String why = lastProblem;
            long next = nextValidRecord(position + 1);
            if (next < 0) {
                tail = new Damage(position, dataEnd - position, why);
                break;
            }
            damage.add(new Damage(position, next - position, why));
            position = next;
        }
        return new Scan(headerProblem, List.copyOf(damage), tail, tail == null ? position : tail.offset(), records,
                dataEnd > LeaseRecords.HEADER_SIZE);
    }

    private long nextValidRecord(long from) throws IOException {
        for (long candidate = from; candidate < dataEnd; candidate++) {
            if (recordAt(candidate) > 0) {
                return candidate;
            }
        }
        return -1;
    }

    /** The total length of a valid record at {@code offset}, or 0 with {@link #lastProblem} set. */
    private int recordAt(long offset) throws IOException {
        if (!ensure(offset, LeaseRecords.RECORD_OVERHEAD)) {
            lastProblem = "a record header cut short (" + (size - offset) + " bytes)";
            return 0;
        }
        int at = (int) (offset - windowStart);
        int payload = window.getInt(at);
        int crc = window.getInt(at + 4);
        if (payload < 1 || payload > LeaseRecords.MAX_PAYLOAD) {
            lastProblem = "an impossible record length " + Integer.toUnsignedString(payload);
            return 0;
        }
        if (!ensure(offset, LeaseRecords.RECORD_OVERHEAD + payload)) {
            lastProblem = "a record of " + (LeaseRecords.RECORD_OVERHEAD + payload) + " bytes cut short at "
                    + (size - offset) + " bytes";
            return 0;
        }
        at = (int) (offset - windowStart);
        if (LeaseRecords.recordCrc(window, at, payload) != crc) {
            lastProblem = "a checksum mismatch";
            return 0;
        }
        try {
            LeaseRecords.decode(payloadAt(at, payload));
        } catch (MalformedRecordException e) {
            lastProblem = "a record that passes its checksum but cannot be decoded: " + e.getMessage();
            return 0;
        }
        return LeaseRecords.RECORD_OVERHEAD + payload;
    }

    private Decoded decodedAt(long offset) throws IOException {
        ensure(offset, LeaseRecords.RECORD_OVERHEAD);
        int payload = window.getInt((int) (offset - windowStart));
        ensure(offset, LeaseRecords.RECORD_OVERHEAD + payload);
        try {
            return LeaseRecords.decode(payloadAt((int) (offset - windowStart), payload));
        } catch (MalformedRecordException e) {
            throw new AssertionError("validated just before", e);
        }
    }

    private ByteBuffer payloadAt(int at, int payload) {
        return window.duplicate()
                .position(at + LeaseRecords.RECORD_OVERHEAD)
                .limit(at + LeaseRecords.RECORD_OVERHEAD + payload)
                .slice();
    }

    /** Makes bytes [offset, offset + length) readable in the window; false if the file ends first. */
    private boolean ensure(long offset, int length) throws IOException {
        if (offset + length > size) {
            return false;
        }
        if (offset >= windowStart && offset + length <= windowStart + windowLength) {
            return true;
        }
        window.clear();
        windowStart = offset;
        long position = offset;
        while (window.hasRemaining() && position < size) {
            int read = channel.read(window, position);
            if (read < 0) {
                break;
            }
            position += read;
        }
        windowLength = window.position();
        return windowLength >= length;
    }
}

package org.diskless.leases.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the lease fuzz targets share: where their files go, and the resealing that lets the fuzzer
 * reach past the checksums into the records (a mutated byte otherwise fails its CRC-32C and is
 * never decoded).
 */
final class LeaseFiles {

    /** Control byte bit: rewrite the header as the one expected, checksum included. */
    static final int SEAL_HEADER = 1;
    /** Control byte bit: recompute the checksum of every record whose length fits the file. */
    static final int SEAL_RECORDS = 2;

    private LeaseFiles() {
    }

    /** tmpfs when there is one: recovery syncs files and directories, which costs nothing there. */
    static Path scratchRoot() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** {@code file} as the control byte asks: header and/or record checksums made valid. */
    static byte[] sealed(byte[] file, int control, int magic, long generation) {
        ByteBuffer buffer = ByteBuffer.wrap(file.clone());
        if ((control & SEAL_HEADER) != 0 && buffer.capacity() >= LeaseRecords.HEADER_SIZE) {
            buffer.put(0, LeaseRecords.header(magic, generation), 0, LeaseRecords.HEADER_SIZE);
        }
        if ((control & SEAL_RECORDS) != 0) {
            int at = LeaseRecords.HEADER_SIZE;
            while (at + LeaseRecords.RECORD_OVERHEAD <= buffer.capacity()) {
                int payload = buffer.getInt(at);
                if (payload < 1 || payload > LeaseRecords.MAX_PAYLOAD
                        || at + LeaseRecords.RECORD_OVERHEAD + payload > buffer.capacity()) {
                    break;
                }
                buffer.putInt(at + 4, LeaseRecords.recordCrc(buffer, at, payload));
                at += LeaseRecords.RECORD_OVERHEAD + payload;
            }
        }
        return buffer.array();
    }

    static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.diskless.leases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.diskless.api.leases.Lease;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Recovery of a lease directory holding whatever journal and snapshot files: the store opens or
 * refuses with an {@link IOException} that says why, never another exception; once open, a
 * compaction writes what it recovered into a fresh snapshot, and a second open finds exactly those
 * leases and no damage (recovery loses nothing it once served, and leaves a clean directory).
 *
 * <p>Input: a control byte ({@link LeaseFiles#SEAL_HEADER} and {@link LeaseFiles#SEAL_RECORDS}
 * for both files; 4: there is a snapshot; 8: the next journal was created ahead of time, as a
 * running store leaves it); with a snapshot, its length (4 bytes, big-endian, cut to what is left)
 * and its bytes; the rest is the journal. Without a snapshot the journal is generation 1,
 * with one both are generation 2.
 */
class LeaseRecoveryFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T06:00:00Z"), ZoneOffset.UTC);
    private static final LeaseJournal.Syncer NO_SYNC = (channel, metadata) -> { };
    private static Path scratch;
    private static int runs;

    @BeforeAll
    static void createScratch() throws Exception {
        scratch = Files.createTempDirectory(LeaseFiles.scratchRoot(), "fuzz-lease-recovery");
    }

    @AfterAll
    static void deleteScratch() {
        LeaseFiles.deleteTree(scratch);
    }

    @FuzzTest
    void recover(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        Path directory = Files.createDirectory(scratch.resolve("store-" + runs++));
        try {
            LeaseStoreSettings settings = LeaseStoreSettings.in(directory).withJournalPreallocation(4096);
            if (!writeFiles(input, settings)) {
                return;
            }
            Set<Lease> recovered;
            try (LeaseJournal store = LeaseJournal.open(settings, NO_SYNC, CLOCK)) {
                store.recovery().toString();
                store.compactNow().get(30, TimeUnit.SECONDS);
                recovered = new HashSet<>(store.leases());
            } catch (IOException refused) {
                assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank(),
                        "recovery refused without saying why");
                return;
            }
            try (LeaseJournal again = LeaseJournal.open(settings, NO_SYNC, CLOCK)) {
                assertEquals(recovered, new HashSet<>(again.leases()), "a compacted store reopened with other leases");
                assertEquals(0, again.recovery().damage().size(), "a compacted store reopened damaged: "
                        + again.recovery().damage());
            }
        } finally {
            LeaseFiles.deleteTree(directory);
        }
    }

    /** Lays the input out as the control byte says; false when it does not describe a directory. */
    private static boolean writeFiles(byte[] input, LeaseStoreSettings settings) throws IOException {
        int control = input[0];
        ByteBuffer rest = ByteBuffer.wrap(input, 1, input.length - 1);
        long generation = 1;
        Path directory = settings.directory();
        if ((control & 4) != 0) {
            if (rest.remaining() < 4) {
                return false;
            }
            int length = (int) Long.remainderUnsigned(rest.getInt() & 0xFFFF_FFFFL, rest.remaining() + 1L);
            byte[] snapshot = new byte[length];
            rest.get(snapshot);
            generation = 2;
            Files.write(directory.resolve(String.format("snapshot-%010d.dat", generation)),
                    LeaseFiles.sealed(snapshot, control, LeaseRecords.SNAPSHOT_MAGIC, generation));
        }
        byte[] journal = Arrays.copyOfRange(input, rest.position(), input.length);
        Files.write(directory.resolve(String.format("journal-%010d.log", generation)),
                LeaseFiles.sealed(journal, control, LeaseRecords.JOURNAL_MAGIC, generation));
        if ((control & 8) != 0) {
            ByteBuffer header = LeaseRecords.header(LeaseRecords.JOURNAL_MAGIC, generation + 1);
            byte[] ahead = new byte[LeaseRecords.HEADER_SIZE + 64];
            header.get(ahead, 0, LeaseRecords.HEADER_SIZE);
            Files.write(directory.resolve(String.format("journal-%010d.log", generation + 1)), ahead);
        }
        return true;
    }
}

package org.diskless.leases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.diskless.leases.internal.SegmentReader.Damage;
import org.diskless.leases.internal.SegmentReader.Scan;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The scan that recovery runs over every journal and snapshot file: whatever the file holds, it
 * reads the records that are valid and accounts for every other byte as header problem, damage or
 * torn tail, without throwing. The spans it reports lie inside the file, in order, without overlap.
 *
 * <p>Input: a control byte ({@link LeaseFiles#SEAL_HEADER}, {@link LeaseFiles#SEAL_RECORDS}, 4:
 * read as a snapshot rather than a journal), then the file.
 */
class LeaseSegmentFuzzTest {

    private static final long GENERATION = 7;
    private static Path directory;

    @BeforeAll
    static void createDirectory() throws Exception {
        directory = Files.createTempDirectory(LeaseFiles.scratchRoot(), "fuzz-lease-segment");
    }

    @AfterAll
    static void deleteDirectory() {
        LeaseFiles.deleteTree(directory);
    }

    @FuzzTest
    void scan(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int control = input[0];
        int magic = (control & 4) != 0 ? LeaseRecords.SNAPSHOT_MAGIC : LeaseRecords.JOURNAL_MAGIC;
        byte[] file = LeaseFiles.sealed(Arrays.copyOfRange(input, 1, input.length), control, magic, GENERATION);
        Path path = directory.resolve("segment");
        Files.write(path, file);
        List<Long> offsets = new ArrayList<>();
        Scan scan = SegmentReader.scan(path, magic, GENERATION, (record, offset) -> {
            assertTrue(record != null);
            offsets.add(offset);
        });
        assertEquals(offsets.size(), scan.records(), "records counted but not handed over, or the reverse");
        long size = file.length;
        long position = Math.min(LeaseRecords.HEADER_SIZE, size);
        List<Damage> spans = new ArrayList<>(scan.damage());
        if (scan.tail() != null) {
            spans.add(scan.tail());
        }
        for (Damage span : spans) {
            assertTrue(span.offset() >= position && span.length() > 0 && span.offset() + span.length() <= size,
                    "damage " + span + " outside the file of " + size + " bytes or overlapping, after " + position);
            assertTrue(span.reason() != null && !span.reason().isEmpty(), "damage without a reason");
            position = span.offset() + span.length();
        }
        for (int i = 1; i < offsets.size(); i++) {
            assertTrue(offsets.get(i) > offsets.get(i - 1), "records out of order");
        }
        assertTrue(scan.validEnd() >= 0 && scan.validEnd() <= size, "valid end " + scan.validEnd() + " outside the file");
        assertTrue(scan.tail() == null || scan.tail().offset() == scan.validEnd(), "a tail that is not at the valid end");
    }
}

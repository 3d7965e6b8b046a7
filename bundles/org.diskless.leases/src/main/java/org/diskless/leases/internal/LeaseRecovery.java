package org.diskless.leases.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.diskless.leases.internal.LeaseRecords.DecodedEnd;
import org.diskless.leases.internal.LeaseRecords.DecodedLease;
import org.diskless.leases.internal.SegmentReader.Damage;
import org.diskless.leases.internal.SegmentReader.Scan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a lease store from its files when it is opened (the newest snapshot, then the journals
 * from its generation on, into the {@link LeaseIndex}) and leaves the directory ready to write.
 *
 * <ul>
 * <li>A store missing a file the others follow is refused ({@link MissingLeaseFileException}),
 *     before anything in it is changed.</li>
 * <li>The last journal written to may end in a write a crash cut short (never acknowledged): it is
 *     zeroed. Damage anywhere else is reported by file and offset and skipped to the next good
 *     record; the files found damaged are handed to the store, which compacts them away at once and
 *     keeps them with a {@code .damaged} suffix for the operator.</li>
 * <li>Writing goes on after the last record of the last journal written to; the empty journal after
 *     it stays the next one, and further empty ones (made ahead of time by earlier starts) are
 *     removed, as are {@code .tmp} leftovers and files made obsolete by the newest snapshot.</li>
 * </ul>
 */
final class LeaseRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseRecovery.class);

    /** What recovery found when the store was opened. */
    record Report(int leases, long snapshotGeneration, long journalRecords, long tornTailBytes,
                  List<String> damage, List<String> removedLeftovers) {
    }

    /**
     * The store as recovery leaves it: the journal to write to, open, with its generation and the
     * size of its records; the next journal if an empty one is there (else null); the files found
     * damaged; and whether several journals hold leases, to be compacted into one snapshot at once.
     */
    record Result(Report report, FileChannel journal, long journalGeneration, long journalSize,
                  FileChannel nextJournal, Set<Path> damagedFiles, boolean compactAtStart) {
    }

    private final StoreDirectory directory;
    private final LeaseJournal.Syncer syncer;
    private final long journalPreallocation;
    private final LeaseIndex index;
    private final List<String> damage = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final Set<Path> damagedFiles = new HashSet<>();
    private FileChannel journal;
    private long journalGeneration;
    private long journalSize;
    private FileChannel nextJournal;

    private LeaseRecovery(StoreDirectory directory, LeaseJournal.Syncer syncer, long journalPreallocation,
                          LeaseIndex index) {
        this.directory = directory;
        this.syncer = syncer;
        this.journalPreallocation = journalPreallocation;
        this.index = index;
    }

    /**
     * Reads the store in {@code directory} into {@code index}.
     *
     * @param journalPreallocation the size of a journal recovery has to create (a new store)
     */
    static Result recover(StoreDirectory directory, LeaseJournal.Syncer syncer, long journalPreallocation,
                          LeaseIndex index) throws IOException {
        LeaseRecovery recovery = new LeaseRecovery(directory, syncer, journalPreallocation, index);
        try {
            return recovery.run();
        } catch (IOException | RuntimeException e) {
            closeAfter(e, recovery.journal, recovery.nextJournal);
            throw e;
        }
    }

    private static void closeAfter(Exception failure, FileChannel... channels) {
        for (FileChannel channel : channels) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private Result run() throws IOException {
        long started = System.nanoTime();
        StoreDirectory.Listing listing = directory.list();
        for (Path leftover : listing.temporaries()) {
            Files.deleteIfExists(leftover);
            removed.add(leftover.getFileName().toString());
            LOG.info("Removed {}, an unfinished file left by a crash or a failed write", leftover);
        }
        long snapshot = listing.snapshots().isEmpty() ? 0 : listing.snapshots().last();
        refuseMissingFiles(listing, snapshot);
        if (snapshot > 0) {
            readSnapshot(snapshot);
        }
        List<Long> journals = new ArrayList<>(listing.journals().tailSet(snapshot));
        List<Scan> scans = new ArrayList<>();
        long records = 0;
        // Only the last journal written to can end in a write cut short; the ones after it were
        // created ahead of time and hold nothing. The first one when none was written to.
        long lastWritten = journals.isEmpty() ? 0 : journals.get(0);
        for (long generation : journals) {
            Path file = directory.journal(generation);
            Scan scan = SegmentReader.scan(file, LeaseRecords.JOURNAL_MAGIC, generation, (record, offset) -> {
                if (record instanceof DecodedLease lease) {
                    index.apply(lease.lease());
                } else {
                    LOG.warn("{}: ignored a snapshot end mark at offset {} inside a journal", file, offset);
                }
            });
            records += scan.records();
            scans.add(scan);
            if (scan.written()) {
                lastWritten = generation;
            }
        }
        // Commits go on into the last journal written to, and the one after it (made ahead of time
        // and never written to) stays the next: a restart adds no journal. Any further ones are
        // empty journals an earlier version made at each start.
        long tornTail = 0;
        int writing = journals.indexOf(lastWritten);
        for (int i = 0; i < journals.size(); i++) {
            long generation = journals.get(i);
            Path file = directory.journal(generation);
            Scan scan = scans.get(i);
            if (i == writing + 1 && scan.clean()) {
                nextJournal = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
            } else if (i > writing) {
                removed.add(removeUnused(file));
            } else {
                noteDamage(file, scan, i < writing);
                if (i == writing) {
                    tornTail += openForWriting(file, generation, scan);
                }
            }
        }
        // More than one journal holding leases (a compaction cut short, or restarts of a version that
        // began a journal at every start): one compaction at start puts them into one snapshot.
        boolean compactAtStart = scans.stream().filter(Scan::written).count() > 1;
        for (long old : listing.snapshots().headSet(snapshot)) {
            removed.add(removeObsolete(directory.snapshot(old)));
        }
        for (long old : listing.journals().headSet(snapshot)) {
            removed.add(removeObsolete(directory.journal(old)));
        }
        if (journal == null) {
            // A new store, or a crash between a snapshot's rename and its journal: start one.
            journalGeneration = Math.max(1, snapshot);
            journal = directory.createJournal(journalGeneration, syncer, journalPreallocation);
            journalSize = LeaseRecords.HEADER_SIZE;
        }
        directory.sync();
        Report report = new Report(index.size(), snapshot, records, tornTail, List.copyOf(damage),
                List.copyOf(removed));
        LOG.info("Lease store open in {}: {} leases ({}{} journal records) in {} ms", directory.root(),
                report.leases(), snapshot > 0 ? "snapshot " + snapshot + " and " : "", records,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return new Result(report, journal, journalGeneration, journalSize, nextJournal, Set.copyOf(damagedFiles),
                compactAtStart);
    }

    /**
     * The journals recovery reads must follow each other from the newest snapshot's generation on
     * (from generation 1 without a snapshot): a compaction writes snapshot n only once journal n
     * exists, and removes nothing at or after n. A gap means a file was lost, and with it leases.
     * (A snapshot with no journal at all after it is a store closed before its journal was made.)
     */
    private void refuseMissingFiles(StoreDirectory.Listing listing, long snapshot) throws IOException {
        long expected = Math.max(1, snapshot);
        for (long generation : listing.journals().tailSet(snapshot)) {
            if (generation != expected) {
                String next = directory.journal(generation).getFileName().toString();
                String missing = snapshot == 0 && expected == 1
                        ? directory.snapshot(generation).getFileName() + " is missing (the leases of the generations"
                                + " before " + generation + ", which " + next + " follows)"
                        : directory.journal(expected).getFileName() + " is missing (" + next + " follows it)";
                throw new MissingLeaseFileException(missing + ". Serving without the leases it held would hand"
                        + " addresses still in use to other clients. Restore it into " + directory.root()
                        + "; to start without those leases instead, move every journal-* and snapshot-* file out of"
                        + " that directory");
            }
            expected++;
        }
    }

    private void readSnapshot(long generation) throws IOException {
        Path file = directory.snapshot(generation);
        long[] leases = {0};
        long[] declared = {-1};
        Scan scan = SegmentReader.scan(file, LeaseRecords.SNAPSHOT_MAGIC, generation, (record, offset) -> {
            if (record instanceof DecodedLease lease) {
                index.apply(lease.lease());
                leases[0]++;
            } else if (record instanceof DecodedEnd end) {
                declared[0] = end.count();
            }
        });
        noteDamage(file, scan, true);
        if (declared[0] != leases[0] && scan.clean()) {
            String problem = declared[0] < 0 ? "has no end mark" : "declares " + declared[0] + " leases";
            String line = file.getFileName() + " " + problem + " but holds " + leases[0];
            damage.add(line);
            damagedFiles.add(file);
            LOG.error("Lease snapshot {} is incomplete: it {} but holds {}; leases missing from it may be given"
                    + " to other clients. It is replaced by a fresh snapshot and kept as {}{}", file, problem,
                    leases[0], file.getFileName(), StoreDirectory.DAMAGED_SUFFIX);
        }
    }

    /** Records and logs damage; the tail of a file counts as damage unless it may be a torn write. */
    private void noteDamage(Path file, Scan scan, boolean tailIsDamage) {
        List<Damage> spans = new ArrayList<>(scan.damage());
        if (tailIsDamage && scan.tail() != null) {
            spans.add(scan.tail());
        }
        if (scan.headerProblem() != null) {
            damage.add(file.getFileName() + ": header: " + scan.headerProblem());
            LOG.error("Lease file {} has a damaged header ({}); its records were read anyway. It is replaced by"
                    + " a fresh snapshot and kept as {}{}", file, scan.headerProblem(), file.getFileName(),
                    StoreDirectory.DAMAGED_SUFFIX);
        }
        for (Damage span : spans) {
            damage.add(file.getFileName() + ": " + span.length() + " bytes at offset " + span.offset() + ": "
                    + span.reason());
            LOG.error("Lease file {} is damaged: {} bytes at offset {} could not be read ({}) and were skipped."
                    + " A lease recorded there is lost and its address could be given to another client; check"
                    + " the disk. The file is replaced by a fresh snapshot and kept as {}{}", file, span.length(),
                    span.offset(), span.reason(), file.getFileName(), StoreDirectory.DAMAGED_SUFFIX);
        }
        if (scan.headerProblem() != null || !spans.isEmpty()) {
            damagedFiles.add(file);
        }
    }

    /**
     * Opens the last journal written to for appending after its last record; its tail, if torn, is
     * cut off (see cutTornTail).
     */
    private long openForWriting(Path file, long generation, Scan scan) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        long dropped;
        try {
            dropped = cutTornTail(channel, file, scan);
        } catch (IOException e) {
            closeAfter(e, channel);
            throw e;
        }
        journal = channel;
        journalGeneration = generation;
        journalSize = Math.max(scan.validEnd(), LeaseRecords.HEADER_SIZE);
        return dropped;
    }

    /**
     * The last journal written to may end in a batch whose write a crash cut short: nothing in it
     * was acknowledged (acknowledgement waits for the sync), so it is overwritten with zeros, which
     * keeps the journal's preallocated size. Returns the bytes cut.
     */
    private long cutTornTail(FileChannel channel, Path file, Scan scan) throws IOException {
        if (scan.tail() == null) {
            return 0;
        }
        long dropped = scan.tail().length();
        StoreDirectory.writeZeros(channel, scan.validEnd(), scan.validEnd() + dropped);
        syncer.force(channel, true);
        LOG.warn("Lease journal {} ends in a write cut short by a crash: dropped the last {} bytes (from offset"
                + " {}: {}). Nothing acknowledged is lost, a lease is acknowledged only after its write was"
                + " synced.", file, dropped, scan.validEnd(), scan.tail().reason());
        return dropped;
    }

    private String removeUnused(Path file) throws IOException {
        Files.deleteIfExists(file);
        LOG.info("Removed {}, an empty journal made ahead of time by an earlier start", file);
        return file.getFileName().toString();
    }

    private String removeObsolete(Path file) throws IOException {
        Files.deleteIfExists(file);
        LOG.info("Removed {}, made obsolete by a newer snapshot (a compaction was interrupted)", file);
        return file.getFileName().toString();
    }
}

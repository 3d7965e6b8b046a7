package org.diskless.leases.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link LeaseStore}: leases in memory, every change appended to a journal on disk
 * (format in {@link LeaseRecords}, files in {@link StoreDirectory}).
 *
 * <h2>What a caller can rely on</h2>
 * <ul>
 * <li>The stage {@link #commit} returns completes only after the lease has been written and the
 *     journal synced ({@code fsync}); it then survives {@code kill -9} and a power cut. It fails
 *     (and the lease is not recorded) if the disk refuses the write, if the lease cannot be stored
 *     (a client id longer than 65535 UTF-8 bytes), or if the store is closed.</li>
 * <li>One current lease per address: a committed lease replaces whatever lease its address had,
 *     whichever client that was. The store does not arbitrate between clients; the DHCP server
 *     decides who gets an address, and commits for one address take effect in the order
 *     {@code commit} was called.</li>
 * <li>{@link #byClientId} gives, among the leases the client still holds (not replaced by a commit
 *     for another client), the one committed last.</li>
 * <li>Readers see a lease once it is durable, at the moment its stage completes, never before: what
 *     they read is what a restart would recover. A caller that hands out addresses must therefore
 *     remember its own commits in flight.</li>
 * <li>Expired leases stay (and {@link #leases()} returns them) until a compaction finds them
 *     expired for longer than the configured retention.</li>
 * <li>Stages complete in commit order, on the executor given to {@link #commit(Lease, Executor)}, or
 *     else on the store's notifier thread; do not block in a callback.</li>
 * </ul>
 *
 * <h2>How</h2>
 * One writer thread drains the queue of commits, appends the whole batch, syncs once, applies
 * the batch to the index and hands the completions over: a sync costs the same for one lease or a
 * thousand, so throughput grows with the number of commits in flight (group commit).
 *
 * <p>Completions go to the executor each commit named (the DHCP server's event loop, which sends
 * the ACK right there), one task per executor per batch, so a group of acknowledgements costs its
 * caller one wake-up and no thread in between; commits that named none complete on the notifier
 * thread, so that no caller's callback ever runs on the writer and holds up the next sync.
 *
 * <p>Syncs are spaced by at least the configured interval ({@code syncIntervalMicros}): a sync
 * costs about the same cpu and disk work for one lease or many, so under load commits that arrive
 * within the interval wait for one shared sync instead of each starting its own. (Without an
 * interval a commit waits instead for the sync in flight, whatever its length: a slow sync then
 * holds every commit that arrives while it runs; docs/benchmarks.md has the figures.)
 *
 * <p>A journal is created with zeros up to its preallocated size ({@code journalPreallocationBytes})
 * and written from its start, not appended to: a sync then writes the data only, where an append
 * that grows the file also has the file system commit the new size. Recovery takes the zeros after
 * the last record as room not yet written.
 *
 * <p>When the journal has grown to many times the live leases, the writer compacts: it starts the
 * next journal (generation n+1, created ahead of time on the compactor thread, so starting it is
 * only a switch of channels: creating a file durably takes three syncs, during which no commit
 * could be written) and takes the live leases as they are at that point; the compactor
 * thread writes them to a snapshot n+1 (temporary file, sync, atomic rename, directory sync) and
 * removes the files before n+1, while the writer goes on appending commits to journal n+1 (writing
 * a snapshot of tens of thousands of leases takes a hundred milliseconds: no ACK waits for it).
 * Snapshot n+1 holds everything of the journals before n+1, so whatever step a crash interrupts,
 * recovery (newest snapshot, then the journals from its generation on) rebuilds the same leases.
 * One compaction at a time: the next one starts only after the previous one finished.
 *
 * <p>The writer times each sync (write and {@code fdatasync}) and each commit from {@code commit}
 * until durable; when a busy spell of commits ends it logs one line with both distributions
 * ({@link BusySpell}), so what the disk costs and what the grouping adds can be told apart from the
 * delays a DHCP client sees.
 *
 * <p>Opening the store is {@link LeaseRecovery}'s work. It hands over the journal to go on writing
 * (a restart adds no file), the files it found damaged, which are compacted away at once, and
 * whether several journals hold leases (a compaction cut short), which are compacted at once too.
 */
final class LeaseJournal implements LeaseStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseJournal.class);
    private static final int WRITE_BUFFER = 1 << 20;
    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    /** How the journal is synced; a seam for tests that need to hold or fail a sync. */
    interface Syncer {
        Syncer FORCE = FileChannel::force;

        void force(FileChannel channel, boolean metadata) throws IOException;
    }

    /** Counters since the store was opened. */
    record Statistics(long commits, long syncs, long compactions, int leases, long journalBytes) {
    }

    /** What the writer is asked to do. */
    private enum Kind { COMMIT, SYNC, COMPACT }

    /**
     * A commit waiting for the writer, or a barrier ({@code lease == null}); {@code queuedAt} is
     * when it was queued ({@link System#nanoTime}).
     */
    private record Pending(Kind kind, Lease lease, Executor completeOn, CompletableFuture<Lease> done,
                           long queuedAt) {
        Pending(Kind kind, Lease lease, Executor completeOn) {
            this(kind, lease, completeOn, new CompletableFuture<>(), System.nanoTime());
        }

        Pending(Kind kind) {
            this(kind, null, null);
        }
    }

    private final StoreDirectory directory;
    private final Syncer syncer;
    private final Clock clock;
    private final LeaseIndex index = new LeaseIndex();
    private final LeaseRecovery.Report recovery;
    private volatile LeaseStoreSettings settings;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queued = queueLock.newCondition();
    private List<Pending> queue = new ArrayList<>();
    private boolean closed;
    /** When the writer last took a batch ({@link System#nanoTime}); at first longer ago than any interval. */
    private long lastSyncStarted = System.nanoTime() - TimeUnit.HOURS.toNanos(1);

    // Owned by the writer thread once it runs (by the opening thread before).
    private FileChannel journal;
    private long journalGeneration;
    /**
     * Journal {@code journalGeneration + 1}, being created on the compactor thread ahead of the
     * compaction that starts it; completes with null if it could not be created. Only the compactor
     * creates it while this is pending, so the writer never creates the same file at the same time.
     */
    private CompletableFuture<FileChannel> nextJournal;
    /** Set by recovery when several journals hold leases: they are compacted into one snapshot at once. */
    private final boolean compactAtStart;
    private long journalSize;
    /** The journal size below which no compaction is tried; set by the compactor after a failure. */
    private volatile long nextCompactionCheck;
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
    /** Found by recovery (opening thread), retired by the compactor, consulted by the writer. */
    private final Set<Path> damagedFiles = ConcurrentHashMap.newKeySet();
    /** The compaction in flight, or a completed one; owned by the writer. */
    private CompletableFuture<Void> compaction = CompletableFuture.completedFuture(null);
    /** Set when the journal can no longer be trusted to be a clean prefix; every commit fails. */
    private volatile IOException broken;

    private final LogThrottle writeFailures = new LogThrottle(Duration.ofMinutes(1));
    /** The delays of the current busy spell, for its closing log line; owned by the writer. */
    private final BusySpell spell = new BusySpell();

    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong compactions = new AtomicLong();
    private volatile long publishedJournalBytes;

    private final Thread writer;
    private final ExecutorService notifier;
    private final ExecutorService compactor;

    private LeaseJournal(LeaseStoreSettings settings, StoreDirectory directory, Syncer syncer, Clock clock)
            throws IOException {
        this.settings = settings;
        this.directory = directory;
        this.syncer = syncer;
        this.clock = clock;
        LeaseRecovery.Result recovered = LeaseRecovery.recover(directory, syncer, settings.journalPreallocation(),
                index);
        this.recovery = recovered.report();
        this.journal = recovered.journal();
        this.journalGeneration = recovered.journalGeneration();
        this.journalSize = recovered.journalSize();
        this.publishedJournalBytes = journalSize;
        this.damagedFiles.addAll(recovered.damagedFiles());
        this.compactAtStart = recovered.compactAtStart();
        this.notifier = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "diskless-lease-notify"));
        this.compactor = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "diskless-lease-compactor"));
        this.nextJournal = recovered.nextJournal() != null ? CompletableFuture.completedFuture(recovered.nextJournal())
                : prepareJournal(journalGeneration + 1);
        this.writer = daemon(this::writeLoop, "diskless-lease-journal");
        writer.start();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Opens (creating if needed) the store in {@code settings.directory()} and recovers it. */
    static LeaseJournal open(LeaseStoreSettings settings) throws IOException {
        return open(settings, Syncer.FORCE, Clock.systemUTC());
    }

    static LeaseJournal open(LeaseStoreSettings settings, Syncer syncer, Clock clock) throws IOException {
        StoreDirectory directory = StoreDirectory.open(settings.directory());
        try {
            return new LeaseJournal(settings, directory, syncer, clock);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ the LeaseStore service

    @Override
    public CompletionStage<Lease> commit(Lease lease) {
        return commit(lease, null);
    }

    /** As {@link #commit(Lease)}, completing on {@code executor} (the notifier thread when null). */
    @Override
    public CompletionStage<Lease> commit(Lease lease, Executor executor) {
        Objects.requireNonNull(lease, "lease");
        String unstorable = LeaseRecords.unstorableReason(lease);
        if (unstorable != null) {
            return CompletableFuture.failedStage(new IllegalArgumentException(
                    "lease for " + lease.address().getHostAddress() + " not recorded: " + unstorable));
        }
        return enqueue(new Pending(Kind.COMMIT, lease, executor)).minimalCompletionStage();
    }

    @Override
    public Optional<Lease> byAddress(Inet4Address address) {
        return index.byAddress(address);
    }

    @Override
    public Optional<Lease> byClientId(String clientId) {
        return index.byClientId(clientId);
    }

    @Override
    public Collection<Lease> leases() {
        return index.leases();
    }

    // ------------------------------------------------------------------ for the component and tests

    /**
     * Completes, on the writer thread, once everything committed before has been settled (made
     * durable or failed); the index then reflects it.
     */
    CompletableFuture<Lease> sync() {
        return enqueue(new Pending(Kind.SYNC));
    }

    /**
     * Compacts now, whatever the thresholds say (after the compaction in flight, if any); completes
     * when the snapshot is in place and the files it replaced are gone.
     */
    CompletableFuture<Lease> compactNow() {
        return enqueue(new Pending(Kind.COMPACT));
    }

    /** The current leases in commit order, to carry them into another store. */
    List<Lease> inCommitOrder() {
        return index.inCommitOrder();
    }

    Path directory() {
        return directory.root();
    }

    LeaseRecovery.Report recovery() {
        return recovery;
    }

    Statistics statistics() {
        return new Statistics(commits.get(), syncs.get(), compactions.get(), index.size(), publishedJournalBytes);
    }

    /** Takes new retention and compaction settings; the directory is fixed for a store's life. */
    void update(LeaseStoreSettings next) {
        if (!next.directory().equals(settings.directory())) {
            throw new IllegalArgumentException("a store cannot move to another directory; open a new one");
        }
        settings = next;
    }

    /**
     * Writes out everything committed so far, then stops: later commits fail. Reads keep working
     * on the leases as they were.
     */
    @Override
    public void close() {
        queueLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queued.signalAll();
        } finally {
            queueLock.unlock();
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
            if (writer.isAlive()) {
                LOG.error("Lease journal writer in {} did not finish within {} s; commits still queued may fail",
                        directory.root(), CLOSE_TIMEOUT_SECONDS);
            }
            // A compaction cut short is safe (recovery finishes it), but one that completes is tidier.
            compactor.shutdown();
            if (!compactor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Lease compaction in {} still running after {} s; the next start completes it",
                        directory.root(), CLOSE_TIMEOUT_SECONDS);
            }
            notifier.shutdown();
            notifier.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The file stays: an empty journal after the last written one is what recovery expects.
        closeQuietly(nextJournal.getNow(null));
        try {
            if (journal != null) {
                journal.close();
            }
        } catch (IOException e) {
            LOG.warn("Closing lease journal in {}: {}", directory.root(), StoreDirectory.explain(e));
        }
        try {
            directory.close();
        } catch (IOException e) {
            LOG.warn("Releasing the lock of lease directory {}: {}", directory.root(), StoreDirectory.explain(e));
        }
    }

    private CompletableFuture<Lease> enqueue(Pending pending) {
        queueLock.lock();
        try {
            if (closed) {
                pending.done().completeExceptionally(new IllegalStateException("the lease store in "
                        + directory.root() + " is closed" + (pending.lease() == null ? ""
                        : "; the lease for " + pending.lease().address().getHostAddress() + " was not recorded")));
                return pending.done();
            }
            queue.add(pending);
            if (queue.size() == 1) {
                queued.signal();
            }
        } finally {
            queueLock.unlock();
        }
        return pending.done();
    }

    // ------------------------------------------------------------------ the writer thread

    private void writeLoop() {
        try {
            if (compactAtStart) {
                compact();
            } else {
                maybeCompact(); // a journal already past the threshold, or damage found by recovery
            }
        } catch (RuntimeException e) {
            LOG.error("Lease compaction in {} failed unexpectedly; commits go on into the journal", directory.root(), e);
        }
        while (true) {
            List<Pending> batch;
            queueLock.lock();
            try {
                if (!awaitQueued()) {
                    batch = null; // a quiet second ended the busy spell
                } else if (queue.isEmpty()) {
                    return; // closed and drained
                } else {
                    awaitSyncInterval();
                    batch = queue;
                    queue = new ArrayList<>(Math.max(16, batch.size()));
                }
            } finally {
                queueLock.unlock();
            }
            if (batch == null) {
                // Logged here, not under the lock: commits must never wait for the log.
                spell.end().ifPresent(line -> LOG.info("Lease journal: {} ({})", line, directory.root()));
                continue;
            }
            try {
                writeBatch(batch);
                List<CompletableFuture<Lease>> compactRequests = batch.stream()
                        .filter(pending -> pending.kind() == Kind.COMPACT).map(Pending::done).toList();
                if (!compactRequests.isEmpty() && broken == null) {
                    compaction.join(); // rare (an explicit request): this one follows the one in flight
                    compact().whenComplete((ignored, failure) -> compactRequests.forEach(done -> done.complete(null)));
                } else {
                    maybeCompact();
                    compactRequests.forEach(done -> done.complete(null));
                }
            } catch (RuntimeException | Error e) {
                // Never leave a caller waiting on a stage that nobody will complete.
                broken = new IOException("the lease journal writer failed unexpectedly: " + e, e);
                LOG.error("Lease journal writer in {} failed; every further commit fails until the store is"
                        + " reopened", directory.root(), e);
                failAll(batch, broken);
                completeBarriers(batch, Kind.COMPACT);
            }
        }
    }

    /**
     * Waits until something is queued or the store closes (true), or until the busy spell has
     * been quiet for {@link BusySpell#QUIET_NANOS} (false). Runs with the queue lock held.
     */
    private boolean awaitQueued() {
        long idleSince = System.nanoTime();
        while (queue.isEmpty() && !closed) {
            if (!spell.isOpen()) {
                queued.awaitUninterruptibly();
                continue;
            }
            long left = idleSince + BusySpell.QUIET_NANOS - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                queued.awaitNanos(left);
            } catch (InterruptedException e) {
                // Nobody interrupts the writer; the wait is bounded anyway.
            }
        }
        return true;
    }

    /**
     * Group commit over time: a sync that would start sooner than the configured interval after
     * the previous one waits for the rest of it, and what is committed meanwhile joins its batch.
     * A lease after a quiet spell is synced at once. Runs with the queue lock held; waiting releases
     * it, and a close ends the wait (what is queued is then written without delay).
     */
    private void awaitSyncInterval() {
        long interval = settings.syncInterval().toNanos();
        long now = System.nanoTime();
        long due = lastSyncStarted + interval;
        while (!closed && due - now > 0) {
            try {
                queued.awaitNanos(due - now);
            } catch (InterruptedException e) {
                // The writer is interrupted by nobody; the wait is bounded by the interval anyway.
            }
            now = System.nanoTime();
        }
        lastSyncStarted = now;
    }

    private void writeBatch(List<Pending> batch) {
        IOException failure = broken;
        int leases = 0;
        if (failure == null) {
            try {
                leases = append(batch);
            } catch (IOException e) {
                failure = e;
                undoPartialAppend(e);
            }
        }
        if (failure != null) {
            failAll(batch, failure);
            return;
        }
        if (leases > 0) {
            for (Pending pending : batch) {
                if (pending.lease() != null) {
                    index.apply(pending.lease());
                }
            }
            commits.addAndGet(leases);
            syncs.incrementAndGet();
            publishedJournalBytes = journalSize;
        }
        completeBarriers(batch, Kind.SYNC);
        completeCommits(batch, null);
    }

    /**
     * Completes the batch's commits, with their lease or, when {@code failure} is set, failed: one
     * task per executor the commits named, each completing its commits in commit order. An
     * executor that refuses the task (its loop shut down) has its commits completed on the
     * notifier, so that no caller waits for ever.
     */
    private void completeCommits(List<Pending> batch, IOException failure) {
        Map<Executor, List<Pending>> byExecutor = new IdentityHashMap<>(2);
        for (Pending pending : batch) {
            if (pending.kind() == Kind.COMMIT) {
                byExecutor.computeIfAbsent(pending.completeOn() == null ? notifier : pending.completeOn(),
                        executor -> new ArrayList<>(batch.size())).add(pending);
            }
        }
        byExecutor.forEach((executor, commits) -> {
            Runnable complete = () -> commits.forEach(pending -> settle(pending, failure));
            try {
                executor.execute(complete);
            } catch (RejectedExecutionException e) {
                notifier.execute(complete);
            }
        });
    }

    private static void settle(Pending pending, IOException failure) {
        if (failure == null) {
            pending.done().complete(pending.lease());
        } else {
            pending.done().completeExceptionally(new UncheckedIOException("the lease for "
                    + pending.lease().address().getHostAddress() + " could not be made durable: "
                    + StoreDirectory.explain(failure), failure));
        }
    }

    /**
     * Barriers complete here, on the writer, not on the notifier: whoever waits on one must not
     * depend on callers' callbacks, which may block.
     */
    private static void completeBarriers(List<Pending> batch, Kind kind) {
        for (Pending pending : batch) {
            if (pending.kind() == kind) {
                pending.done().complete(null);
            }
        }
    }

    /** Appends the batch's leases and syncs once; returns how many leases were written. */
    private int append(List<Pending> batch) throws IOException {
        long started = System.nanoTime();
        long position = journalSize;
        int leases = 0;
        writeBuffer.clear();
        for (Pending pending : batch) {
            if (pending.lease() == null) {
                continue;
            }
            int size = LeaseRecords.recordSize(pending.lease());
            if (writeBuffer.remaining() < size) {
                position = flush(position);
                if (writeBuffer.capacity() < size) {
                    writeBuffer = ByteBuffer.allocateDirect(size);
                }
            }
            LeaseRecords.putLease(writeBuffer, pending.lease());
            leases++;
        }
        if (leases == 0) {
            return 0;
        }
        position = flush(position);
        syncer.force(journal, false); // fdatasync: the data, and the file size if the write grew the file
        journalSize = position;
        long synced = System.nanoTime();
        spell.synced(synced, synced - started);
        for (Pending pending : batch) {
            if (pending.lease() != null) {
                spell.durable(synced - pending.queuedAt());
            }
        }
        return leases;
    }

    private long flush(long position) throws IOException {
        writeBuffer.flip();
        int length = writeBuffer.remaining();
        StoreDirectory.writeFully(journal, writeBuffer, position);
        writeBuffer.clear();
        return position + length;
    }

    /**
     * A failed write or sync leaves an unknown tail; cut the journal back to what was synced so
     * later batches append to a clean prefix. If even that fails the journal cannot be trusted.
     * Cut, not zeroed: a disk that failed a write may fail to write zeros as well, and the journal's
     * preallocated room is only speed (later syncs then also write the file size).
     */
    private void undoPartialAppend(IOException cause) {
        // A failing disk fails every batch, hundreds a second: one line a minute says it as well.
        writeFailures.error(LOG, "write", "Could not make leases durable in {}: {}. The commits of this batch fail"
                + " (no DHCPACK is sent for them); check the disk.", journalFile(), StoreDirectory.explain(cause));
        try {
            journal.truncate(journalSize);
            syncer.force(journal, true);
        } catch (IOException e) {
            broken = new IOException("the lease journal " + journalFile() + " could not be restored after a"
                    + " failed write (" + StoreDirectory.explain(e) + "); restart the bundle once the disk is fixed",
                    cause);
            LOG.error("{}", broken.getMessage());
        }
    }

    private void failAll(List<Pending> batch, IOException cause) {
        completeBarriers(batch, Kind.SYNC);
        completeCommits(batch, cause);
    }

    private Path journalFile() {
        return directory.journal(journalGeneration);
    }

    // ------------------------------------------------------------------ compaction

    private void maybeCompact() {
        LeaseStoreSettings current = settings;
        long journalBytes = journalSize - LeaseRecords.HEADER_SIZE;
        boolean outgrown = journalBytes >= current.compactionMinBytes()
                && journalBytes >= (double) current.compactionRatio() * index.liveBytes();
        if (broken == null && (outgrown || !damagedFiles.isEmpty()) && journalSize >= nextCompactionCheck
                && compaction.isDone()) {
            compact();
        }
    }

    /**
     * Fresh journal first, then the snapshot: until the snapshot is in place, recovery reads the
     * old snapshot and every journal from its generation on, the new one included, so no commit is
     * ever only in a file that recovery would skip. Runs on the writer up to the point where the
     * live leases are taken; the snapshot is written on the compactor thread. The stage completes
     * when the compaction is over, whether it succeeded or not (a failure is logged).
     */
    private CompletableFuture<Void> compact() {
        long started = System.nanoTime();
        long next = journalGeneration + 1;
        long oldJournalBytes = journalSize;
        // Ready long since, but for a compaction right after opening (damage found by recovery).
        FileChannel fresh = nextJournal.join();
        if (fresh == null) {
            try {
                fresh = directory.createJournal(next, syncer, settings.journalPreallocation());
            } catch (IOException e) {
                nextJournal = prepareJournal(next);
                compactionFailed("could not create " + directory.journal(next), e, journalSize);
                return compaction;
            }
        }
        // Queued on the compactor before the snapshot, so it is ready long before the next compaction.
        nextJournal = prepareJournal(next + 1);
        FileChannel old = journal;
        journal = fresh;
        journalGeneration = next;
        journalSize = LeaseRecords.HEADER_SIZE;
        publishedJournalBytes = journalSize;
        closeQuietly(old);

        int purged = index.purgeExpiredBefore(clock.instant().minus(settings.retention()));
        LeaseIndex.Snapshot live = index.snapshot();
        long rotated = System.nanoTime();
        compaction = CompletableFuture.runAsync(() -> {
            try {
                writeSnapshot(next, live.inCommitOrder());
            } catch (IOException e) {
                compactionFailed("could not write " + directory.snapshot(next), e, publishedJournalBytes);
                return;
            }
            removeOlderThan(next);
            compactions.incrementAndGet();
            nextCompactionCheck = 0;
            LOG.info("Compacted leases in {}: {} bytes of journal replaced by a snapshot of {} leases ({} expired"
                    + " longer than {} h dropped) in {} ms, commits held for {} ms of it", directory.root(),
                    oldJournalBytes, live.size(), purged, settings.retention().toHours(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    TimeUnit.NANOSECONDS.toMillis(rotated - started));
        }, compactor).exceptionally(failure -> {
            LOG.error("Lease compaction in {} failed unexpectedly; commits go on into the journal",
                    directory.root(), failure);
            return null;
        });
        return compaction;
    }

    /** Creates journal {@code generation} (header only, synced, in place) on the compactor thread. */
    private CompletableFuture<FileChannel> prepareJournal(long generation) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return directory.createJournal(generation, syncer, settings.journalPreallocation());
            } catch (IOException | RuntimeException e) {
                // Never an exceptional stage: the writer joins it, and a failure there would stop it.
                LOG.warn("Could not create the next lease journal {} ahead of time ({}); the next compaction"
                        + " creates it and holds commits while it does", directory.journal(generation),
                        e instanceof IOException io ? StoreDirectory.explain(io) : e.toString());
                return null;
            }
        }, compactor);
    }

    private void compactionFailed(String what, IOException e, long journalBytes) {
        // Retry only after the journal grew by another threshold, not after every batch.
        nextCompactionCheck = journalBytes + settings.compactionMinBytes();
        LOG.error("Lease compaction in {} failed: {} ({}). Commits go on into the journal; compaction is tried"
                + " again later.", directory.root(), what, StoreDirectory.explain(e));
    }

    private void writeSnapshot(long generation, List<Lease> live) throws IOException {
        directory.createDurably(directory.snapshot(generation), syncer, channel -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
            long position = 0;
            buffer.put(LeaseRecords.header(LeaseRecords.SNAPSHOT_MAGIC, generation));
            for (Lease lease : live) {
                if (buffer.remaining() < LeaseRecords.recordSize(lease)) {
                    position = flushTo(channel, buffer, position);
                }
                LeaseRecords.putLease(buffer, lease);
            }
            if (buffer.remaining() < LeaseRecords.RECORD_OVERHEAD + 9) {
                position = flushTo(channel, buffer, position);
            }
            LeaseRecords.putEnd(buffer, live.size());
            flushTo(channel, buffer, position);
        });
    }

    private static long flushTo(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        buffer.flip();
        int length = buffer.remaining();
        StoreDirectory.writeFully(channel, buffer, position);
        buffer.clear();
        return position + length;
    }

    /** Removes the files a snapshot of {@code generation} made obsolete; damaged ones are kept aside. */
    private void removeOlderThan(long generation) {
        try {
            StoreDirectory.Listing listing = directory.list();
            for (long old : listing.snapshots().headSet(generation)) {
                retire(directory.snapshot(old));
            }
            for (long old : listing.journals().headSet(generation)) {
                retire(directory.journal(old));
            }
            directory.sync();
        } catch (IOException e) {
            // Harmless: recovery ignores and removes files older than the newest snapshot.
            LOG.warn("Could not remove old lease files in {}: {}", directory.root(), StoreDirectory.explain(e));
        }
    }

    private void retire(Path file) throws IOException {
        if (damagedFiles.remove(file)) {
            Path kept = file.resolveSibling(file.getFileName() + StoreDirectory.DAMAGED_SUFFIX);
            Files.move(file, kept, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("Damaged lease file kept as {} for inspection; the leases now live in a fresh snapshot", kept);
        } else {
            Files.deleteIfExists(file);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.debug("Closing an old lease journal", e);
        }
    }
}

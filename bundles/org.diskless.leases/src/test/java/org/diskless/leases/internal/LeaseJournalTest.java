package org.diskless.leases.internal;

import static org.diskless.leases.internal.TestLeases.NOW;
import static org.diskless.leases.internal.TestLeases.WAIT_SECONDS;
import static org.diskless.leases.internal.TestLeases.address;
import static org.diskless.leases.internal.TestLeases.await;
import static org.diskless.leases.internal.TestLeases.lease;
import static org.diskless.leases.internal.TestLeases.mac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseJournalTest {

    /** The leases in these tests start at NOW; a real clock would let retention purge them as the calendar moves on. */
    private static final Clock AT_NOW = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path temp;

    /** Journals made by these tests are preallocated, but small: many tests write a store many times. */
    private static final long PREALLOCATION = 4096;

    private LeaseJournal open(Path directory) throws IOException {
        return LeaseJournal.open(LeaseStoreSettings.in(directory).withJournalPreallocation(PREALLOCATION),
                LeaseJournal.Syncer.FORCE, AT_NOW);
    }

    /** The end of the records of a journal or snapshot held in {@code file}: where zeros begin, or its end. */
    private static int written(byte[] file) {
        ByteBuffer bytes = ByteBuffer.wrap(file);
        int position = LeaseRecords.HEADER_SIZE;
        while (position + LeaseRecords.RECORD_OVERHEAD <= file.length && bytes.getInt(position) != 0) {
            position += LeaseRecords.RECORD_OVERHEAD + bytes.getInt(position);
        }
        return position;
    }

    private static void assertClean(LeaseRecovery.Report recovery) {
        assertTrue(recovery.damage().isEmpty() && recovery.tornTailBytes() == 0, recovery.toString());
    }

    /** Whether bytes [from, end of file) are all zero. */
    private static boolean zerosFrom(Path file, long from) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (long i = from; i < bytes.length; i++) {
            if (bytes[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    private Path journal(Path directory, long generation) {
        return directory.resolve(String.format("journal-%010d.log", generation));
    }

    private Path snapshot(Path directory, long generation) {
        return directory.resolve(String.format("snapshot-%010d.dat", generation));
    }

    private static Set<Lease> leasesOf(LeaseJournal store) {
        return new HashSet<>(store.leases());
    }

    /** The journal files of {@code directory}, oldest first. */
    private static List<Path> journals(Path directory) throws IOException {
        return names(directory).stream().filter(name -> name.startsWith("journal-")).sorted()
                .map(directory::resolve).toList();
    }

    private static Set<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    // ------------------------------------------------------------------ round trips and semantics

    @Test
    void everyFieldOfACommittedLeaseSurvivesAReopen() throws Exception {
        Lease odd = Lease.of("client ü \u2603 with spaces", HardwareAddress.of(6, new byte[] {1, 2, 3, 4, 5, 6, 7, 8,
                9, 10, 11, 12, 13, 14, 15, 16}), address(7), Instant.ofEpochSecond(-5, 999_999_999),
                Instant.ofEpochSecond(4_000_000_000L, 1), Lease.State.DECLINED);
        List<Lease> committed = List.of(lease(1), odd,
                Lease.of("", mac(2), address(2), NOW, NOW, Lease.State.OFFERED),
                Lease.of("x", mac(3), address(3), NOW, NOW.plusSeconds(60), Lease.State.RELEASED));
        try (LeaseJournal store = open(temp)) {
            for (Lease lease : committed) {
                assertEquals(lease, await(store.commit(lease)), "the stage completes with the lease it recorded");
            }
        }
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.copyOf(committed), leasesOf(store));
            assertEquals(Optional.of(odd), store.byAddress(address(7)));
            assertEquals(Optional.of(odd), store.byClientId("client ü \u2603 with spaces"));
            assertEquals(0, store.recovery().tornTailBytes());
            assertTrue(store.recovery().damage().isEmpty());
        }
    }

    @Test
    void aLeaseReplacesThePreviousLeaseOfItsAddressWhateverTheClient() throws Exception {
        try (LeaseJournal store = open(temp)) {
            await(store.commit(lease(1, 100)));
            await(store.commit(lease(1, 200)));
            assertEquals(Optional.of(lease(1, 200)), store.byAddress(address(1)));
            assertEquals(Optional.empty(), store.byClientId(lease(1, 100).clientId()),
                    "the first client no longer holds anything");
            assertEquals(1, store.leases().size());
        }
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(lease(1, 200)), leasesOf(store));
            assertEquals(Optional.empty(), store.byClientId(lease(1, 100).clientId()));
        }
    }

    @Test
    void byClientIdGivesTheNewestLeaseTheClientStillHoldsAndSurvivesSnapshots() throws Exception {
        String client = lease(1, 7).clientId();
        try (LeaseJournal store = open(temp)) {
            await(store.commit(lease(1, 7)));
            await(store.commit(lease(2, 7)));
            assertEquals(Optional.of(lease(2, 7)), store.byClientId(client), "the newest commit wins");
            await(store.commit(lease(2, 8)));
            assertEquals(Optional.of(lease(1, 7)), store.byClientId(client),
                    "once its newest address went to another client, the one it still holds");
            await(store.commit(lease(3, 7)));
            Lease released = lease(1, 7);
            await(store.commit(Lease.of(released.clientId(), released.hardwareAddress(), released.address(),
                    released.start(), released.expires(), Lease.State.RELEASED)));
            assertEquals(Lease.State.RELEASED, store.byClientId(client).orElseThrow().state(),
                    "re-committing an address makes it the newest again");
            store.compactNow().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        try (LeaseJournal store = open(temp)) {
            assertTrue(store.recovery().snapshotGeneration() > 0, "the state came from a snapshot");
            assertEquals(Lease.State.RELEASED, store.byClientId(client).orElseThrow().state());
            assertEquals(Optional.of(lease(2, 8)), store.byClientId(lease(2, 8).clientId()));
            assertEquals(3, store.leases().size());
        }
    }

    @Test
    void aClientIdTooLongToStoreIsRefused() throws Exception {
        try (LeaseJournal store = open(temp)) {
            Lease huge = Lease.of("x".repeat(70_000), mac(1), address(1), NOW, NOW, Lease.State.BOUND);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> await(store.commit(huge)));
            assertInstanceOf(IllegalArgumentException.class, failed.getCause());
            assertTrue(store.leases().isEmpty());
        }
    }

    @Test
    void aDirectoryIsOpenByOneStoreAtATime() throws Exception {
        try (LeaseJournal store = open(temp)) {
            IOException refused = assertThrows(IOException.class, () -> open(temp));
            assertTrue(refused.getMessage().contains("already open"), refused.getMessage());
        }
        open(temp).close();
    }

    // ------------------------------------------------------------------ durability and group commit

    /** Waits, bounded, until {@code condition} holds. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    /** Syncs for real, but first, whenever {@code hold} says so, signals {@code reached} and waits for {@code release}. */
    private static LeaseJournal.Syncer holdingWhile(BooleanSupplier hold, CountDownLatch reached,
                                                    CountDownLatch release) {
        return (channel, metadata) -> {
            if (hold.getAsBoolean()) {
                reached.countDown();
                try {
                    assertTrue(release.await(WAIT_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            channel.force(metadata);
        };
    }

    @Test
    void aCommitCompletesOnlyAfterTheJournalWasSynced() throws Exception {
        AtomicBoolean holdSyncs = new AtomicBoolean();
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LeaseJournal.Syncer held = holdingWhile(holdSyncs::get, syncing, release);
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp), held, AT_NOW)) {
            holdSyncs.set(true);
            CompletionStage<Lease> stage = store.commit(lease(1));
            assertTrue(syncing.await(WAIT_SECONDS, TimeUnit.SECONDS), "the writer reached the sync");
            assertFalse(stage.toCompletableFuture().isDone(), "no acknowledgement while the sync is running");
            assertEquals(Optional.empty(), store.byAddress(address(1)), "readers see only durable leases");
            release.countDown();
            assertEquals(lease(1), await(stage));
            assertEquals(Optional.of(lease(1)), store.byAddress(address(1)));
        }
    }

    /** A disk whose every sync takes 50 ms: what the sync interval does must not depend on the disk's speed. */
    private static final LeaseJournal.Syncer SLOW_DISK = (channel, metadata) -> {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        channel.force(metadata);
    };

    @Test
    void withoutASyncIntervalACommitThatFindsTheWriterIdleIsSyncedOnItsOwn() throws Exception {
        LeaseStoreSettings settings = LeaseStoreSettings.in(temp).withSyncInterval(Duration.ZERO);
        try (LeaseJournal store = LeaseJournal.open(settings, SLOW_DISK, AT_NOW)) {
            for (int i = 1; i <= 5; i++) {
                await(store.commit(lease(i)));
            }
            assertEquals(5, store.statistics().syncs());
        }
    }

    @Test
    void commitsWithinTheSyncIntervalShareOneSync() throws Exception {
        // Longer than any test: the commits after the first wait for it until the store closes,
        // which writes what is queued without waiting longer.
        LeaseStoreSettings settings = LeaseStoreSettings.in(temp).withSyncInterval(Duration.ofHours(1));
        List<CompletionStage<Lease>> stages = new ArrayList<>();
        try (LeaseJournal store = LeaseJournal.open(settings, SLOW_DISK, AT_NOW)) {
            await(store.commit(lease(1))); // after a quiet spell: at once
            for (int i = 2; i <= 6; i++) {
                stages.add(store.commit(lease(i)));
                Thread.sleep(20);
            }
            assertEquals(1, store.statistics().syncs());
            assertTrue(stages.stream().noneMatch(stage -> stage.toCompletableFuture().isDone()),
                    "commits within the interval wait for its end");
            store.close();
            for (CompletionStage<Lease> stage : stages) {
                await(stage);
            }
            assertEquals(6, store.leases().size());
            assertEquals(2, store.statistics().syncs(), "the five waiting commits shared one sync");
        }
    }

    @Test
    void aCommitWaitingForTheSyncIntervalIsWrittenWhenTheStoreCloses() throws Exception {
        LeaseStoreSettings settings = LeaseStoreSettings.in(temp).withSyncInterval(Duration.ofSeconds(1));
        CompletionStage<Lease> queued;
        try (LeaseJournal store = LeaseJournal.open(settings, LeaseJournal.Syncer.FORCE, AT_NOW)) {
            await(store.commit(lease(1)));
            queued = store.commit(lease(2));
        }
        assertEquals(lease(2), await(queued));
        try (LeaseJournal reopened = open(temp)) {
            assertEquals(Set.of(lease(1), lease(2)), leasesOf(reopened));
        }
    }

    @Test
    void aFailedSyncFailsItsBatchLeavesNoTraceAndTheStoreGoesOn() throws Exception {
        AtomicBoolean failNextDataSync = new AtomicBoolean();
        LeaseJournal.Syncer failing = (channel, metadata) -> {
            if (!metadata && failNextDataSync.getAndSet(false)) {
                throw new IOException("simulated EIO");
            }
            channel.force(metadata);
        };
        byte[] before;
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp), failing, AT_NOW)) {
            await(store.commit(lease(1)));
            before = Files.readAllBytes(journal(temp, 1));
            failNextDataSync.set(true);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> await(store.commit(lease(2))));
            assertInstanceOf(UncheckedIOException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("198.18.0.2"), failed.getCause().getMessage());
            assertEquals(Optional.empty(), store.byAddress(address(2)));
            byte[] after = Files.readAllBytes(journal(temp, 1));
            assertArrayEquals(Arrays.copyOf(before, written(before)), after, "the unsynced write was cut off again");
            await(store.commit(lease(3)));
        }
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(lease(1), lease(3)), leasesOf(store));
        }
    }

    @Test
    void aDiskThatFailsEveryWriteIsLoggedOnceAMinuteNotOncePerBatch() throws Exception {
        LeaseJournal.Syncer failing = (channel, metadata) -> {
            if (!metadata) {
                throw new IOException("simulated EIO");
            }
            channel.force(metadata);
        };
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp).withSyncInterval(Duration.ZERO),
                failing, AT_NOW)) {
            for (int i = 0; i < 100; i++) {
                int n = i;
                assertThrows(ExecutionException.class, () -> await(store.commit(lease(n))));
            }
        } finally {
            System.setErr(stderr);
        }
        String log = logged.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.lines().filter(line -> line.contains("Could not make leases durable")).count(), log);
    }

    @Test
    void aBusySpellEndsWithOneLineOfTheSyncTimesAndTheCommitDelays() throws Exception {
        LeaseJournal.Syncer slow = (channel, metadata) -> {
            channel.force(metadata);
            if (!metadata) {
                sleepMillis(3); // a disk whose data syncs take at least 3 ms
            }
        };
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        String log;
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp), slow, AT_NOW)) {
            List<CompletionStage<Lease>> commits = new ArrayList<>();
            for (int i = 0; i < (int) BusySpell.MIN_LEASES; i++) {
                commits.add(store.commit(lease(i)));
            }
            for (CompletionStage<Lease> commit : commits) {
                await(commit);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            do {
                sleepMillis(50);
                log = logged.toString(StandardCharsets.UTF_8);
            } while (!log.contains("busy spell") && System.nanoTime() < deadline);
        } finally {
            System.setErr(stderr);
        }
        List<String> lines = log.lines().filter(line -> line.contains("Lease journal: busy spell")).toList();
        assertEquals(1, lines.size(), log);
        Matcher figures = Pattern.compile(" (\\d+) leases in (\\d+) syncs; sync ms p50 ([0-9.]+) .* commit to durable"
                + " ms p50 ([0-9.]+) p99 ([0-9.]+) ").matcher(lines.get(0));
        assertTrue(figures.find(), lines.get(0));
        assertEquals(BusySpell.MIN_LEASES, Long.parseLong(figures.group(1)));
        assertTrue(Long.parseLong(figures.group(2)) >= 1, lines.get(0));
        assertTrue(Double.parseDouble(figures.group(3)) >= 3, "a sync took at least 3 ms: " + lines.get(0));
        assertTrue(Double.parseDouble(figures.group(5)) >= 3, "so did every commit: " + lines.get(0));
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void commitsFromManyThreadsAreAllDurableAndShareSyncs() throws Exception {
        int threads = 64;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (LeaseJournal store = open(temp)) {
            List<Future<?>> committers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                committers.add(pool.submit(() -> {
                    for (int i = first; i < first + perThread; i++) {
                        assertEquals(lease(i), await(store.commit(lease(i))));
                    }
                    return null;
                }));
            }
            for (Future<?> committer : committers) {
                committer.get(120, TimeUnit.SECONDS);
            }
            LeaseJournal.Statistics statistics = store.statistics();
            assertEquals(threads * perThread, statistics.commits());
            assertTrue(statistics.syncs() < statistics.commits() / 4,
                    "commits in flight together share one sync: " + statistics);
        } finally {
            pool.shutdownNow();
        }
        try (LeaseJournal store = open(temp)) {
            assertEquals(IntStream.range(0, threads * perThread).mapToObj(TestLeases::lease).collect(Collectors.toSet()),
                    leasesOf(store));
        }
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeWritesOutWhatWasQueuedAndRefusesLaterCommits() throws Exception {
        List<CompletionStage<Lease>> queued = new ArrayList<>();
        LeaseJournal store = open(temp);
        for (int i = 0; i < 500; i++) {
            queued.add(store.commit(lease(i)));
        }
        store.close();
        for (CompletionStage<Lease> stage : queued) {
            assertTrue(stage.toCompletableFuture().isDone(), "close returns only when the queue is drained");
            await(stage);
        }
        ExecutionException refused = assertThrows(ExecutionException.class, () -> await(store.commit(lease(999))));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("is closed"), refused.getCause().getMessage());
        assertEquals(500, store.leases().size(), "reads still answer after close");
        store.close(); // twice is harmless
        try (LeaseJournal reopened = open(temp)) {
            assertEquals(500, reopened.leases().size());
            assertEquals(Optional.empty(), reopened.byAddress(address(999)));
        }
    }

    // ------------------------------------------------------------------ recovery from damage

    /**
     * Both layouts: a journal preallocated with zeros (what this version writes), where the cut
     * leaves zeros behind it, and one that ends where its last write ended (an older version's, or
     * one without preallocation). Bytes the cut leaves that are zero are room, not torn bytes.
     */
    @Test
    void aTornLastRecordIsCutOffAtEveryByteOffset() throws Exception {
        Path original = temp.resolve("original");
        try (LeaseJournal store = open(original)) {
            for (int i = 1; i <= 5; i++) {
                await(store.commit(lease(i)));
            }
        }
        byte[] journal = Files.readAllBytes(journal(original, 1));
        assertEquals(PREALLOCATION, journal.length, "created at its preallocated size");
        int end = written(journal);
        int lastRecord = end - LeaseRecords.recordSize(lease(5));
        Set<Lease> firstFour = IntStream.rangeClosed(1, 4).mapToObj(TestLeases::lease).collect(Collectors.toSet());
        for (int cut = lastRecord; cut < end; cut++) {
            int torn = cut;
            while (torn > lastRecord && journal[torn - 1] == 0) {
                torn--;
            }
            byte[] preallocated = journal.clone();
            Arrays.fill(preallocated, cut, end, (byte) 0);
            for (byte[] copy : List.of(preallocated, Arrays.copyOf(journal, cut))) {
                String layout = (copy == preallocated ? "preallocated" : "ending at the cut") + ", cut at " + cut;
                Path directory = Files.createDirectories(temp.resolve("cut-" + cut + "-" + copy.length));
                Files.write(journal(directory, 1), copy);
                try (LeaseJournal store = open(directory)) {
                    assertEquals(firstFour, leasesOf(store), layout);
                    assertEquals(torn - lastRecord, store.recovery().tornTailBytes(), layout);
                    assertTrue(store.recovery().damage().isEmpty(), "a torn tail is not damage: " + store.recovery());
                    assertEquals(copy.length, Files.size(journal(directory, 1)), layout + ": the file keeps its size");
                    assertTrue(zerosFrom(journal(directory, 1), lastRecord), layout + ": the torn bytes are zeroed");
                    await(store.commit(lease(6)));
                }
                try (LeaseJournal store = open(directory)) {
                    assertEquals(0, store.recovery().tornTailBytes(), layout);
                    assertEquals(5, store.leases().size(), layout + ": writing after the cut gives a clean journal");
                }
            }
        }
    }

    @Test
    void garbageOrZerosAfterTheLastGoodRecordAreATornTail() throws Exception {
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp).withJournalPreallocation(0),
                LeaseJournal.Syncer.FORCE, AT_NOW)) {
            await(store.commit(lease(1)));
            await(store.commit(lease(2)));
        }
        Path file = journal(temp, 1);
        long good = Files.size(file);
        byte[] lastRecordFlipped = Files.readAllBytes(file);
        lastRecordFlipped[lastRecordFlipped.length - 1] ^= 0x40; // complete length, bad checksum
        Files.write(file, lastRecordFlipped);
        Files.write(file, new byte[4096], StandardOpenOption.APPEND); // a size update without data
        long firstRecordEnd = good - LeaseRecords.recordSize(lease(2));
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(lease(1)), leasesOf(store));
            assertEquals(LeaseRecords.recordSize(lease(2)), store.recovery().tornTailBytes(),
                    "the garbage is torn; the zeros after it are room to write in");
            assertTrue(zerosFrom(file, firstRecordEnd));
            await(store.commit(lease(3)));
        }
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(lease(1), lease(3)), leasesOf(store));
            assertClean(store.recovery());
        }
    }

    /**
     * Writes go into the zeros after the last record, never after the file's end, and recovery
     * takes the zeros as room: journals keep their size until one is full, then it simply grows.
     */
    @Test
    void aPreallocatedJournalIsWrittenFromItsStartAndKeepsItsSize() throws Exception {
        Set<Lease> committed = new HashSet<>();
        for (int run = 0; run < 3; run++) {
            try (LeaseJournal store = open(temp)) {
                assertEquals(committed, leasesOf(store), "run " + run);
                assertClean(store.recovery());
                for (int i = 0; i < 10; i++) {
                    Lease lease = lease(10 * run + i);
                    await(store.commit(lease));
                    committed.add(lease);
                }
            }
        }
        List<Path> journals = journals(temp);
        int recordBytes = 0;
        for (Path journal : journals) {
            assertEquals(PREALLOCATION, Files.size(journal), journal.toString());
            int end = written(Files.readAllBytes(journal));
            assertTrue(zerosFrom(journal, end), journal + ": records from the header on, then zeros");
            recordBytes += end - LeaseRecords.HEADER_SIZE;
        }
        assertEquals(committed.stream().mapToInt(LeaseRecords::recordSize).sum(), recordBytes, journals.toString());
        long largest = 0;
        try (LeaseJournal store = open(temp)) {
            for (int i = 30; i < 30 + PREALLOCATION / LeaseRecords.recordSize(lease(30)); i++) {
                Lease lease = lease(i);
                await(store.commit(lease));
                committed.add(lease);
            }
            for (Path journal : journals(temp)) {
                largest = Math.max(largest, Files.size(journal));
            }
        }
        assertTrue(largest > PREALLOCATION, "a full journal simply grows: " + names(temp));
        try (LeaseJournal store = open(temp)) {
            assertEquals(committed, leasesOf(store));
            assertClean(store.recovery());
        }
    }

    /**
     * A record may itself end in zeros (here an empty client id: its length, two zero bytes, comes
     * last). Where the zeros start is then inside the record; it is read whole, and the next write
     * goes after it.
     */
    @Test
    void aRecordEndingInZerosBeforeThePreallocatedRoomIsKeptWhole() throws Exception {
        Lease anonymous = Lease.of("", mac(7), address(7), NOW, NOW.plus(Duration.ofHours(1)), Lease.State.BOUND);
        try (LeaseJournal store = open(temp)) {
            await(store.commit(lease(1)));
            await(store.commit(anonymous));
        }
        Path file = journal(temp, 1);
        long end = LeaseRecords.HEADER_SIZE + LeaseRecords.recordSize(lease(1)) + LeaseRecords.recordSize(anonymous);
        assertEquals(0, Files.readAllBytes(file)[(int) end - 1], "the last record ends in a zero byte");
        // Journal 2, made ahead of time and empty, would take the next write: as if it had never been made.
        Files.delete(journal(temp, 2));
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(lease(1), anonymous), leasesOf(store));
            assertClean(store.recovery());
            await(store.commit(lease(3)));
        }
        assertEquals(end + LeaseRecords.recordSize(lease(3)), written(Files.readAllBytes(file)), "written after it");
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(lease(1), anonymous, lease(3)), leasesOf(store));
            assertClean(store.recovery());
        }
    }

    @Test
    void aCorruptRecordInTheMiddleIsReportedSkippedAndCompactedAway() throws Exception {
        try (LeaseJournal store = open(temp)) {
            for (int i = 1; i <= 5; i++) {
                await(store.commit(lease(i)));
            }
        }
        Path file = journal(temp, 1);
        byte[] bytes = Files.readAllBytes(file);
        int third = LeaseRecords.HEADER_SIZE + 2 * LeaseRecords.recordSize(lease(1));
        bytes[third + 12] ^= 0x01; // inside the payload of the third lease
        Files.write(file, bytes);
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(lease(1), lease(2), lease(4), lease(5)), leasesOf(store));
            List<String> damage = store.recovery().damage();
            assertEquals(1, damage.size(), damage.toString());
            assertTrue(damage.get(0).contains(LeaseRecords.recordSize(lease(1)) + " bytes at offset " + third),
                    damage.get(0));
            assertTrue(damage.get(0).contains("checksum"), damage.get(0));
            assertEquals(0, store.recovery().tornTailBytes(), "damage in the middle is not a torn tail");
            store.sync().get(WAIT_SECONDS, TimeUnit.SECONDS); // the writer compacts before its first batch
            await(store.commit(lease(6)));
        }
        assertTrue(Files.exists(temp.resolve("journal-0000000001.log.damaged")), names(temp).toString());
        try (LeaseJournal store = open(temp)) {
            assertTrue(store.recovery().damage().isEmpty(), "reported once, then compacted away");
            assertEquals(Set.of(lease(1), lease(2), lease(4), lease(5), lease(6)), leasesOf(store));
        }
    }

    // ------------------------------------------------------------------ missing files

    /** Five leases in snapshot 2, a sixth in journal 2, journal 3 made ahead of time. */
    private Set<Lease> compactedStore(Path directory) throws Exception {
        try (LeaseJournal store = open(directory)) {
            for (int i = 1; i <= 5; i++) {
                await(store.commit(lease(i)));
            }
            store.compactNow().get(WAIT_SECONDS, TimeUnit.SECONDS);
            await(store.commit(lease(6)));
            assertTrue(names(directory).containsAll(Set.of("snapshot-0000000002.dat", "journal-0000000002.log",
                    "journal-0000000003.log")), names(directory).toString());
            return leasesOf(store);
        }
    }

    @Test
    void aStoreWhoseSnapshotIsMissingIsNotOpenedAndNotTouched() throws Exception {
        compactedStore(temp);
        Files.delete(snapshot(temp, 2));
        Set<String> left = names(temp);
        MissingLeaseFileException refused = assertThrows(MissingLeaseFileException.class, () -> open(temp));
        assertTrue(refused.getMessage().startsWith("snapshot-0000000002.dat is missing"), refused.getMessage());
        assertTrue(refused.getMessage().contains(temp.toString()), "says where to restore it: " + refused.getMessage());
        assertEquals(left, names(temp), "nothing was removed or created");
        assertThrows(MissingLeaseFileException.class, () -> open(temp), "and it is refused again, not forgotten");
    }

    @Test
    void aStoreWithAJournalMissingAfterItsSnapshotIsNotOpened() throws Exception {
        compactedStore(temp);
        Files.delete(journal(temp, 2));
        MissingLeaseFileException refused = assertThrows(MissingLeaseFileException.class, () -> open(temp));
        assertTrue(refused.getMessage().startsWith("journal-0000000002.log is missing (journal-0000000003.log follows"
                + " it)"), refused.getMessage());
    }

    @Test
    void aRestoredSnapshotOpensWithEveryLease() throws Exception {
        Path directory = temp.resolve("store");
        Set<Lease> leases = compactedStore(directory);
        Path aside = Files.move(snapshot(directory, 2), temp.resolve("aside"));
        assertThrows(MissingLeaseFileException.class, () -> open(directory));
        Files.move(aside, snapshot(directory, 2));
        try (LeaseJournal store = open(directory)) {
            assertEquals(leases, leasesOf(store));
            assertClean(store.recovery());
        }
    }

    // ------------------------------------------------------------------ restarts and the disk they take

    @Test
    void restartsGoOnInTheSameJournalInsteadOfAddingOne() throws Exception {
        Set<Lease> committed = new HashSet<>();
        for (int start = 1; start <= 8; start++) {
            try (LeaseJournal store = open(temp)) {
                await(store.commit(lease(start)));
                committed.add(lease(start));
                assertEquals(committed, leasesOf(store));
            }
            assertEquals(List.of(journal(temp, 1), journal(temp, 2)), journals(temp), "after start " + start);
        }
        try (LeaseJournal store = open(temp)) { // and a start that commits nothing
            assertEquals(committed, leasesOf(store));
        }
        assertEquals(List.of(journal(temp, 1), journal(temp, 2)), journals(temp));
        assertEquals(2 * PREALLOCATION, Files.size(journal(temp, 1)) + Files.size(journal(temp, 2)),
                "the journal in use and the next one, no more");
    }

    /** A journal of generation {@code generation} holding {@code leases}, as an earlier start left it. */
    private static void writeJournal(Path directory, long generation, Lease... leases) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        bytes.put(LeaseRecords.header(LeaseRecords.JOURNAL_MAGIC, generation));
        for (Lease lease : leases) {
            LeaseRecords.putLease(bytes, lease);
        }
        Files.write(directory.resolve(String.format("journal-%010d.log", generation)),
                Arrays.copyOf(bytes.array(), bytes.position() + 4096));
    }

    @Test
    void journalsLeftByEarlierStartsAreCompactedAtOpen() throws Exception {
        // What eight starts of a version that began a new journal at every start left behind.
        for (int generation = 1; generation <= 8; generation++) {
            writeJournal(temp, generation, lease(generation), lease(100, generation));
        }
        writeJournal(temp, 9);
        writeJournal(temp, 10);
        Set<Lease> expected = new HashSet<>();
        for (int generation = 1; generation <= 8; generation++) {
            expected.add(lease(generation));
        }
        expected.add(lease(100, 8));
        try (LeaseJournal store = open(temp)) {
            assertEquals(expected, leasesOf(store));
            awaitTrue(() -> store.statistics().compactions() == 1, "a compaction at open");
        }
        assertEquals(List.of(journal(temp, 9), journal(temp, 10)), journals(temp), names(temp).toString());
        assertTrue(Files.exists(snapshot(temp, 9)), names(temp).toString());
        try (LeaseJournal store = open(temp)) {
            assertEquals(expected, leasesOf(store));
            assertClean(store.recovery());
        }
    }

    @Test
    void aJournalThatCannotBeCreatedLeavesNoTemporaryFileBehind() throws Exception {
        AtomicBoolean diskFull = new AtomicBoolean(true);
        CountDownLatch refused = new CountDownLatch(1);
        LeaseJournal.Syncer fullDisk = (channel, metadata) -> {
            if (metadata && diskFull.get() && Thread.currentThread().getName().equals("diskless-lease-compactor")) {
                refused.countDown();
                throw new IOException("No space left on device");
            }
            channel.force(metadata);
        };
        LeaseStoreSettings settings = LeaseStoreSettings.in(temp).withJournalPreallocation(PREALLOCATION);
        try (LeaseJournal store = LeaseJournal.open(settings, fullDisk, AT_NOW)) {
            assertTrue(refused.await(WAIT_SECONDS, TimeUnit.SECONDS), "the next journal was tried");
            awaitTrue(() -> !Files.exists(temp.resolve("journal-0000000002.log.tmp")), "the temporary file removed");
            await(store.commit(lease(1)));
            diskFull.set(false);
            store.compactNow().get(WAIT_SECONDS, TimeUnit.SECONDS);
            await(store.commit(lease(2)));
        }
        assertTrue(names(temp).stream().noneMatch(name -> name.endsWith(".tmp")), names(temp).toString());
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(lease(1), lease(2)), leasesOf(store));
        }
    }

    // ------------------------------------------------------------------ compaction

    @Test
    void aJournalThatOutgrowsTheLiveLeasesIsCompacted() throws Exception {
        // 2,000 commits one after another: spacing their syncs would only slow the test down.
        LeaseStoreSettings settings = LeaseStoreSettings.in(temp).withCompaction(4096, 2).withSyncInterval(Duration.ZERO)
                .withJournalPreallocation(4096);
        Set<Lease> latest = new HashSet<>();
        try (LeaseJournal store = LeaseJournal.open(settings, LeaseJournal.Syncer.FORCE, AT_NOW)) {
            for (int round = 0; round < 200; round++) {
                latest.clear();
                for (int i = 0; i < 10; i++) {
                    Lease lease = Lease.of("c" + i, mac(i), address(i), NOW, NOW.plusSeconds(3600 + round),
                            Lease.State.BOUND);
                    await(store.commit(lease));
                    latest.add(lease);
                }
            }
            assertTrue(store.statistics().compactions() > 0, store.statistics().toString());
            // One compaction runs at a time, so on a busy machine the writer can outrun the compactor
            // for a while; once it has caught up, the next commit compacts again. Re-committing the
            // last lease (no change to what is stored) gives it that commit, for at most 10 s.
            Lease last = latest.stream().filter(l -> l.clientId().equals("c0")).findFirst().orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.statistics().journalBytes() >= 3 * 4096 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                await(store.commit(last));
            }
            assertTrue(store.statistics().journalBytes() < 3 * 4096, store.statistics().toString());
        }
        assertEquals(1, names(temp).stream().filter(name -> name.startsWith("snapshot-")).count(),
                "one snapshot remains: " + names(temp));
        List<Path> journals = journals(temp);
        assertEquals(2, journals.size(), "the journal in use and the next one remain: " + names(temp));
        assertEquals(LeaseRecords.HEADER_SIZE, written(Files.readAllBytes(journals.get(1))),
                "the next journal holds only its header");
        assertEquals(4096, Files.size(journals.get(1)), "and zeros up to its preallocated size");
        try (LeaseJournal store = LeaseJournal.open(settings, LeaseJournal.Syncer.FORCE, AT_NOW)) {
            assertEquals(latest, leasesOf(store));
        }
    }

    @Test
    void compactionForgetsLeasesExpiredLongerThanTheRetention() throws Exception {
        Clock tenDaysLater = Clock.fixed(NOW.plus(Duration.ofDays(10)), ZoneOffset.UTC);
        LeaseStoreSettings settings = LeaseStoreSettings.in(temp).withRetention(Duration.ofDays(1));
        Lease longGone = lease(1); // expired NOW + 1 h
        Lease justExpired = Lease.of("c2", mac(2), address(2), NOW, NOW.plus(Duration.ofDays(9)), Lease.State.RELEASED);
        Lease current = Lease.of("c3", mac(3), address(3), NOW, NOW.plus(Duration.ofDays(20)), Lease.State.BOUND);
        try (LeaseJournal store = LeaseJournal.open(settings, LeaseJournal.Syncer.FORCE, tenDaysLater)) {
            for (Lease lease : List.of(longGone, justExpired, current)) {
                await(store.commit(lease));
            }
            assertEquals(3, store.leases().size(), "expired leases stay until a compaction");
            store.compactNow().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(Set.of(justExpired, current), leasesOf(store));
            assertEquals(Optional.empty(), store.byClientId(longGone.clientId()));
            // Committed after a compaction that left nothing expiring before day 9: still forgotten.
            Lease goneToo = Lease.of("c4", mac(4), address(4), NOW, NOW.plus(Duration.ofDays(2)), Lease.State.RELEASED);
            await(store.commit(goneToo));
            store.compactNow().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(Set.of(justExpired, current), leasesOf(store));
        }
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(justExpired, current), leasesOf(store));
        }
    }

    @Test
    void commitsAreAcknowledgedWhileASnapshotIsBeingWritten() throws Exception {
        // The compactor's syncs during the compaction are held (the journal after next, made ahead
        // of time, then the snapshot); a commit made meanwhile must still be synced and acknowledged.
        // Not before: the next journal is made at open, and a compaction waits for it.
        AtomicBoolean compacting = new AtomicBoolean();
        CountDownLatch snapshotSyncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LeaseJournal.Syncer holdsSnapshots = holdingWhile(() -> compacting.get()
                && Thread.currentThread().getName().equals("diskless-lease-compactor"), snapshotSyncing, release);
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp), holdsSnapshots, AT_NOW)) {
            await(store.commit(lease(1)));
            awaitTrue(() -> Files.exists(journal(temp, 2)), "journal 2 made ahead of time");
            compacting.set(true);
            CompletionStage<Lease> compacted = store.compactNow();
            assertTrue(snapshotSyncing.await(WAIT_SECONDS, TimeUnit.SECONDS), "the compactor reached its sync");
            assertEquals(lease(2), await(store.commit(lease(2))), "acknowledged during the compaction");
            assertFalse(compacted.toCompletableFuture().isDone(), "the compaction is still writing its snapshot");
            release.countDown();
            compacted.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, store.statistics().compactions());
        }
        assertTrue(Files.exists(snapshot(temp, 2)), names(temp).toString());
        assertFalse(Files.exists(journal(temp, 1)), "the compaction removed the old journal: " + names(temp));
        try (LeaseJournal store = open(temp)) {
            assertEquals(Set.of(lease(1), lease(2)), leasesOf(store), "lease 2 lives in journal 2");
        }
    }

    /**
     * Compaction makes journal n+1 (ahead of time, while journal n is still written to), then
     * snapshot n+1 (as .tmp, renamed), then removes the files before n+1. Each state a crash can
     * leave on disk is rebuilt here from real files and must recover to the same leases.
     */
    @Test
    void aCrashAtAnyStepOfACompactionRecoversTheSameLeases() throws Exception {
        Path before = temp.resolve("before");
        Set<Lease> state = new HashSet<>();
        try (LeaseJournal store = open(before)) {
            for (int i = 0; i < 30; i++) {
                Lease lease = lease(i % 12, i);
                await(store.commit(lease));
            }
            state.addAll(store.leases());
        }
        byte[] journal1 = Files.readAllBytes(journal(before, 1));

        Path after = temp.resolve("after");
        Files.createDirectories(after);
        Files.write(journal(after, 1), journal1);
        Lease extra = lease(40, 40);
        byte[] emptyJournal2;
        try (LeaseJournal store = open(after)) {
            store.compactNow().get(WAIT_SECONDS, TimeUnit.SECONDS);
            emptyJournal2 = Files.readAllBytes(journal(after, 2));
            await(store.commit(extra));
        }
        byte[] snapshot2 = Files.readAllBytes(snapshot(after, 2));
        byte[] journal2 = Files.readAllBytes(journal(after, 2));
        assertFalse(Files.exists(journal(after, 1)), "compaction removed the old journal");
        Set<Lease> stateWithExtra = new HashSet<>(state);
        stateWithExtra.add(extra);
        // A batch for journal 1 that a crash cut short, after journal 2 had been created ahead of time.
        int journal1End = written(journal1);
        int halfBatch = (written(journal2) - LeaseRecords.HEADER_SIZE) / 2;
        byte[] tornJournal1 = Arrays.copyOf(journal1, Math.max(journal1.length, journal1End + halfBatch));
        System.arraycopy(journal2, LeaseRecords.HEADER_SIZE, tornJournal1, journal1End, halfBatch);

        record Step(String name, Set<Lease> expected, Object... files) {
        }
        List<Step> steps = List.of(
                new Step("creating journal 2", state, "journal-0000000001.log", journal1,
                        "journal-0000000002.log.tmp", Arrays.copyOf(emptyJournal2, 7)),
                new Step("journal 2 in place", state, "journal-0000000001.log", journal1,
                        "journal-0000000002.log", emptyJournal2),
                new Step("a write into journal 1 cut short, journal 2 in place", state,
                        "journal-0000000001.log", tornJournal1, "journal-0000000002.log", emptyJournal2),
                new Step("commits into journal 2", stateWithExtra, "journal-0000000001.log", journal1,
                        "journal-0000000002.log", journal2),
                new Step("writing snapshot 2", stateWithExtra, "journal-0000000001.log", journal1,
                        "journal-0000000002.log", journal2,
                        "snapshot-0000000002.dat.tmp", Arrays.copyOf(snapshot2, snapshot2.length / 2)),
                new Step("snapshot 2 written, not yet renamed", stateWithExtra, "journal-0000000001.log", journal1,
                        "journal-0000000002.log", journal2, "snapshot-0000000002.dat.tmp", snapshot2),
                new Step("snapshot 2 in place", stateWithExtra, "journal-0000000001.log", journal1,
                        "journal-0000000002.log", journal2, "snapshot-0000000002.dat", snapshot2),
                new Step("old journal removed", stateWithExtra,
                        "journal-0000000002.log", journal2, "snapshot-0000000002.dat", snapshot2),
                new Step("snapshot without its journal", state, "snapshot-0000000002.dat", snapshot2));
        for (Step step : steps) {
            Path directory = Files.createDirectories(temp.resolve("step-" + steps.indexOf(step)));
            for (int i = 0; i < step.files().length; i += 2) {
                Files.write(directory.resolve((String) step.files()[i]), (byte[]) step.files()[i + 1]);
            }
            try (LeaseJournal store = open(directory)) {
                assertEquals(step.expected(), leasesOf(store), step.name());
                assertTrue(store.recovery().damage().isEmpty(), step.name() + ": " + store.recovery());
                await(store.commit(lease(50, 50)));
            }
            assertTrue(names(directory).stream().noneMatch(name -> name.endsWith(".tmp")), step.name());
            Set<Lease> expectedNow = new HashSet<>(step.expected());
            expectedNow.add(lease(50, 50));
            try (LeaseJournal store = open(directory)) {
                assertEquals(expectedNow, leasesOf(store), step.name() + ", second start");
                assertTrue(store.recovery().damage().isEmpty(), step.name() + ", second start: " + store.recovery());
            }
        }
    }

    @Test
    void theNextJournalIsCreatedAheadOfTimeSoACompactionSyncsNothingOnTheWriter() throws Exception {
        List<String> fileSyncs = Collections.synchronizedList(new ArrayList<>());
        LeaseJournal.Syncer recording = (channel, metadata) -> {
            if (metadata) {
                fileSyncs.add(Thread.currentThread().getName());
            }
            channel.force(metadata);
        };
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp), recording, AT_NOW)) {
            await(store.commit(lease(1)));
            store.compactNow().get(WAIT_SECONDS, TimeUnit.SECONDS);
            await(store.commit(lease(2)));
            assertTrue(Files.exists(journal(temp, 3)), "journal 3 is ready for the next compaction: " + names(temp));
        }
        assertFalse(fileSyncs.isEmpty(), "journals and the snapshot were created");
        assertTrue(fileSyncs.stream().noneMatch("diskless-lease-journal"::equals),
                "the writer switched to a journal made ahead of time: " + fileSyncs);
        try (LeaseJournal reopened = open(temp)) {
            assertEquals(Set.of(lease(1), lease(2)), leasesOf(reopened));
            assertTrue(reopened.recovery().damage().isEmpty(), reopened.recovery().toString());
        }
    }

    @Test
    void concurrentCommitsDuringCompactionsLoseNothing() throws Exception {
        LeaseStoreSettings settings = LeaseStoreSettings.in(temp).withCompaction(4096, 2);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<Lease> expected = new HashSet<>();
        try (LeaseJournal store = LeaseJournal.open(settings, LeaseJournal.Syncer.FORCE, AT_NOW)) {
            List<Future<?>> committers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                committers.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        // each thread keeps re-leasing its own 4 addresses
                        await(store.commit(lease(thread * 4 + i % 4, thread * 1000 + i)));
                    }
                    return null;
                }));
            }
            for (Future<?> committer : committers) {
                committer.get(120, TimeUnit.SECONDS);
            }
            assertTrue(store.statistics().compactions() > 0, store.statistics().toString());
            for (int t = 0; t < threads; t++) {
                for (int i = 296; i < 300; i++) {
                    expected.add(lease(t * 4 + i % 4, t * 1000 + i));
                }
            }
            assertEquals(expected, leasesOf(store));
        } finally {
            pool.shutdownNow();
        }
        try (LeaseJournal reopened = LeaseJournal.open(settings, LeaseJournal.Syncer.FORCE, AT_NOW)) {
            assertEquals(expected, leasesOf(reopened));
        }
    }
}

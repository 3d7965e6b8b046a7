package org.diskless.leases.internal;

import static org.diskless.leases.internal.TestLeases.NOW;
import static org.diskless.leases.internal.TestLeases.WAIT_SECONDS;
import static org.diskless.leases.internal.TestLeases.address;
import static org.diskless.leases.internal.TestLeases.await;
import static org.diskless.leases.internal.TestLeases.lease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.diskless.api.leases.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How commits complete: on the executor each named, one task per group, only after the group's
 * sync returned, never after a failed one.
 */
class LeaseJournalCompletionTest {

    private static final Clock AT_NOW = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path temp;

    /** An event loop that runs its tasks only when the test says so. */
    private static final class QueuedExecutor implements Executor {
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        int queued() {
            return tasks.size();
        }

        void runAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }

    /**
     * Data syncs (not the journal's creation) that each wait for a permit from the test, and fail
     * instead of syncing while {@code failing} is set.
     */
    private static final class GatedDisk implements LeaseJournal.Syncer {
        private final Semaphore permits = new Semaphore(0);
        private final AtomicInteger reached = new AtomicInteger();
        final AtomicBoolean failing = new AtomicBoolean();

        @Override
        public void force(java.nio.channels.FileChannel channel, boolean metadata) throws IOException {
            if (!metadata) {
                reached.incrementAndGet();
                try {
                    if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        throw new IOException("the test never let this sync return");
                    }
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                if (failing.get()) {
                    throw new IOException("simulated EIO");
                }
            }
            channel.force(metadata);
        }

        void awaitReached(int syncs) throws InterruptedException {
            awaitTrue(() -> reached.get() >= syncs, "sync " + syncs);
        }

        void release() {
            release(1);
        }

        void release(int syncs) {
            permits.release(syncs);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
            Thread.sleep(2);
        }
    }

    private static boolean anyDone(List<CompletionStage<Lease>> stages) {
        return stages.stream().anyMatch(stage -> stage.toCompletableFuture().isDone());
    }

    /** Commits leases {@code from..to} naming {@code executor}; each records itself in {@code completed} when it completes. */
    private static List<CompletionStage<Lease>> commit(LeaseJournal store, int from, int to, Executor executor,
                                                       List<Lease> completed) {
        List<CompletionStage<Lease>> stages = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            CompletionStage<Lease> stage = store.commit(lease(i), executor);
            stage.thenAccept(completed::add);
            stages.add(stage);
        }
        return stages;
    }

    @Test
    void aGroupCompletesOnTheExecutorItsCommitsNamedInOneTaskInCommitOrderAfterItsSync() throws Exception {
        GatedDisk disk = new GatedDisk();
        QueuedExecutor loop = new QueuedExecutor();
        List<Lease> completed = new ArrayList<>();
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp), disk, AT_NOW)) {
            List<CompletionStage<Lease>> first = commit(store, 1, 1, loop, completed);
            disk.awaitReached(1);
            List<CompletionStage<Lease>> group = commit(store, 2, 6, loop, completed); // wait for the sync in flight
            assertEquals(0, loop.queued(), "nothing is handed over while the sync runs");

            disk.release();
            disk.awaitReached(2); // the group's own sync started as soon as the first returned
            awaitTrue(() -> loop.queued() == 1, "the first lease's completion");
            loop.runAll();
            assertEquals(List.of(lease(1)), completed);
            assertTrue(first.get(0).toCompletableFuture().isDone());
            assertFalse(anyDone(group), "no lease of the group completes before its sync returned");
            assertEquals(Optional.empty(), store.byAddress(address(2)));

            disk.release();
            awaitTrue(() -> loop.queued() > 0, "the group's completion");
            Thread.sleep(100); // anything more would be handed over by now
            assertEquals(1, loop.queued(), "one task for the whole group");
            assertFalse(anyDone(group), "completed on the executor, not before");
            loop.runAll();
            assertEquals(List.of(lease(1), lease(2), lease(3), lease(4), lease(5), lease(6)), completed);
            assertEquals(Optional.of(lease(6)), store.byAddress(address(6)));
            disk.release(); // no sync left to hold: the closing store has nothing to write
        }
    }

    @Test
    void aFailedSyncHandsItsGroupOverFailedInOneTaskAndRecordsNone() throws Exception {
        GatedDisk disk = new GatedDisk();
        QueuedExecutor loop = new QueuedExecutor();
        List<Lease> completed = new ArrayList<>();
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp), disk, AT_NOW)) {
            commit(store, 1, 1, loop, completed);
            disk.awaitReached(1);
            List<CompletionStage<Lease>> group = commit(store, 2, 4, loop, completed);
            disk.release();
            disk.awaitReached(2);
            disk.failing.set(true);
            disk.release();
            awaitTrue(() -> loop.queued() == 2, "both groups' completions");
            Thread.sleep(100);
            assertEquals(2, loop.queued(), "one task per group, failed or not");
            loop.runAll();
            assertEquals(List.of(lease(1)), completed, "a lease whose sync failed is never acknowledged");
            for (CompletionStage<Lease> stage : group) {
                ExecutionException failed = assertThrows(ExecutionException.class, () -> await(stage));
                assertInstanceOf(UncheckedIOException.class, failed.getCause());
            }
            assertEquals(Optional.empty(), store.byAddress(address(2)));
            disk.failing.set(false);
            disk.release();
            CompletionStage<Lease> after = store.commit(lease(7), loop);
            awaitTrue(() -> loop.queued() == 1, "the store goes on");
            loop.runAll();
            assertEquals(lease(7), await(after));
        }
    }

    @Test
    void commitsPendingWhenTheStoreClosesAreSyncedAndHandedOverBeforeCloseReturns() throws Exception {
        GatedDisk disk = new GatedDisk();
        QueuedExecutor loop = new QueuedExecutor();
        List<Lease> completed = new ArrayList<>();
        LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp), disk, AT_NOW);
        store.commit(lease(1), loop);
        disk.awaitReached(1);
        List<CompletionStage<Lease>> pending = commit(store, 2, 5, loop, completed);
        disk.release(2);
        store.close();
        assertEquals(2, loop.queued(), "both groups were handed over before close returned");
        assertFalse(anyDone(pending));
        loop.runAll();
        assertEquals(List.of(lease(2), lease(3), lease(4), lease(5)), completed);
        try (LeaseJournal reopened = LeaseJournal.open(LeaseStoreSettings.in(temp), LeaseJournal.Syncer.FORCE,
                AT_NOW)) {
            assertEquals(5, reopened.leases().size());
        }
    }

    @Test
    void anExecutorThatRefusesStillGetsItsCommitsCompleted() throws Exception {
        Executor stopped = task -> {
            throw new RejectedExecutionException("event loop shut down");
        };
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(temp), LeaseJournal.Syncer.FORCE,
                AT_NOW)) {
            assertEquals(lease(1), await(store.commit(lease(1), stopped)), "completed on the notifier instead");
        }
    }
}

package org.diskless.leases.internal;

import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;

/**
 * Throughput of durable commits on this disk, by number of committers in flight: each committer
 * commits one lease, waits for it to be durable (as the DHCP server waits before its ACK), then the
 * next. A measurement, not a test; run it with {@code benchmarks/lease-journal-bench.sh}. Not a JMH
 * benchmark: what it reports beside commits per second (syncs, leases per sync, cpu per sync, the
 * wait behind a compaction) comes from the store's own counters and a one-off scenario, which
 * JMH's per-operation figures would not show.
 *
 * <p>Arguments: directory (on the disk to measure), seconds per run, committer counts. The system
 * property {@code syncIntervalMicros} sets the store's least time between syncs (default: the
 * store's default).
 */
public final class LeaseJournalBench {

    private static final int ADDRESSES = 1 << 16; // a /16 pool, re-leased round robin
    /** The whole process's cpu (committers, writer, notifier; the kernel's work for their system calls). */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static final long SYNC_INTERVAL_MICROS =
            Long.getLong("syncIntervalMicros", LeaseStoreSettings.DEFAULT_SYNC_INTERVAL_MICROS);
    private static final long JOURNAL_PREALLOCATION =
            Long.getLong("journalPreallocationBytes", LeaseStoreSettings.DEFAULT_JOURNAL_PREALLOCATION);

    private LeaseJournalBench() {
    }

    private static LeaseStoreSettings settings(Path directory) {
        return LeaseStoreSettings.in(directory).withSyncInterval(Duration.of(SYNC_INTERVAL_MICROS, ChronoUnit.MICROS))
                .withJournalPreallocation(JOURNAL_PREALLOCATION);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "lease-bench");
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 5;
        int[] concurrencies = args.length > 2
                ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 8, 64};
        System.out.printf(Locale.ROOT, "lease journal in %s, %d s per run (after 1 s warm-up), syncs at least %d us"
                + " apart, journals preallocated to %d bytes%n", root, seconds, SYNC_INTERVAL_MICROS, JOURNAL_PREALLOCATION);
        System.out.printf(Locale.ROOT, "%10s %12s %10s %12s %14s %12s%n", "committers", "commits/s", "syncs/s",
                "leases/sync", "mean latency", "cpu/sync");
        for (int committers : concurrencies) {
            run(Files.createDirectories(root.resolve("c" + committers)), committers, seconds);
        }
        compactionPause(Files.createDirectories(root.resolve("compaction")));
    }

    /** How long commits wait while the writer compacts a full /16 pool of live leases. */
    private static void compactionPause(Path directory) throws Exception {
        try (LeaseJournal store = LeaseJournal.open(settings(directory))) {
            Instant now = Instant.now();
            List<CompletionStage<Lease>> stages = new ArrayList<>();
            for (int n = 0; n < ADDRESSES; n++) {
                stages.add(store.commit(bound(n, now, Duration.ofHours(1))));
            }
            for (CompletionStage<Lease> stage : stages) {
                durable(stage);
            }
            long started = System.nanoTime();
            CompletableFuture<Lease> compacted = store.compactNow();
            // Queued right behind the compaction: it waits for as long as the writer holds commits.
            durable(store.commit(bound(ADDRESSES - 1, now, Duration.ofHours(2))));
            long behind = System.nanoTime() - started;
            compacted.get(60, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "compaction of %d live leases (snapshot %d bytes): %.0f ms; a commit"
                    + " queued behind it was durable after %.1f ms%n", store.leases().size(),
                    Files.size(directory.resolve("snapshot-0000000002.dat")), (System.nanoTime() - started) / 1e6,
                    behind / 1e6);
        }
    }

    private static void run(Path directory, int committers, long seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong committed = new AtomicLong();
        AtomicLong latencyNanos = new AtomicLong();
        try (LeaseJournal store = LeaseJournal.open(settings(directory))) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < committers; t++) {
                int thread = t;
                Thread committer = new Thread(() -> {
                    Instant now = Instant.now();
                    for (int i = thread; !stop.get(); i += committers) {
                        Lease lease = bound(i % ADDRESSES, now, Duration.ofHours(1));
                        long started = System.nanoTime();
                        try {
                            durable(store.commit(lease));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        latencyNanos.addAndGet(System.nanoTime() - started);
                        committed.incrementAndGet();
                    }
                }, "bench-committer-" + t);
                committer.setDaemon(true);
                committer.start();
                threads.add(committer);
            }
            Thread.sleep(1000);
            long commits0 = committed.get();
            long latency0 = latencyNanos.get();
            long syncs0 = store.statistics().syncs();
            long cpu0 = PROCESS.getProcessCpuTime();
            long started = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long commits = committed.get() - commits0;
            long latency = latencyNanos.get() - latency0;
            long syncs = store.statistics().syncs() - syncs0;
            long cpu = PROCESS.getProcessCpuTime() - cpu0;
            double elapsed = (System.nanoTime() - started) / 1e9;
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            System.out.printf(Locale.ROOT, "%10d %12.0f %10.0f %12.1f %11.2f ms %9.0f us%n", committers,
                    commits / elapsed, syncs / elapsed, syncs == 0 ? 0.0 : (double) commits / syncs,
                    commits == 0 ? 0.0 : latency / 1e6 / commits, syncs == 0 ? 0.0 : cpu / 1e3 / syncs);
        }
    }

    /**
     * Client {@code n} of the pool (MAC 52:54:00 followed by {@code n}) bound to the {@code n}-th
     * address of 198.18.0.0/16, the benchmark range of RFC 2544.
     */
    private static Lease bound(int n, Instant start, Duration length) {
        byte[] mac = ByteBuffer.allocate(6).putShort((short) 0x5254).putInt(n).array();
        HardwareAddress hardware = HardwareAddress.ethernet(mac);
        return Lease.of("01:" + hardware, hardware, address(0xC6120000 | n), start, start.plus(length),
                Lease.State.BOUND);
    }

    private static Inet4Address address(int value) {
        try {
            return (Inet4Address) InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(value).array());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Lease durable(CompletionStage<Lease> commit) throws Exception {
        return commit.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}

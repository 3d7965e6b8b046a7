package org.diskless.leases.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.diskless.api.leases.Lease;

/**
 * The child JVM of {@link CrashRecoveryTest}: commits leases from several threads as fast as the
 * store takes them and prints each one only after its stage completed, until it is killed.
 *
 * <p>Each thread re-leases its own {@value #ADDRESSES_PER_THREAD} addresses in turn, one commit at a
 * time, to a new client each time; the lease's start ({@code BASE_SECONDS + round * ROUND_SECONDS + i}) orders the commits,
 * so the parent can tell the lease it saw acknowledged last for an address from an older one.
 *
 * <p>Arguments: directory, round, threads, compactionMinBytes. Output lines:
 * {@code READY} then {@code ACK <address> <clientId> <startEpochSecond>}.
 */
public final class CrashingCommitter {

    static final int ADDRESSES_PER_THREAD = 8;
    /** A lease's start is BASE + round * ROUND_SECONDS + i seconds (in the future: nothing expires). */
    static final long ROUND_SECONDS = 10_000_000L;
    static final long BASE_SECONDS = 2_000_000_000L;
    /** Stop on our own if nobody kills us, so a lost parent leaves no process behind. */
    private static final long MAX_RUN_MILLIS = 60_000;

    private CrashingCommitter() {
    }

    static Lease leaseFor(int round, int thread, int i) {
        int address = thread * ADDRESSES_PER_THREAD + i % ADDRESSES_PER_THREAD;
        Instant start = Instant.ofEpochSecond(BASE_SECONDS + round * ROUND_SECONDS + i);
        Lease template = TestLeases.lease(address, thread * 100_000 + i);
        return Lease.of("r" + round + "-t" + thread + "-i" + i, template.hardwareAddress(), template.address(),
                start, start.plusSeconds(365L * 24 * 3600), Lease.State.BOUND);
    }

    static long roundOf(long startSecond) {
        return (startSecond - BASE_SECONDS) / ROUND_SECONDS;
    }

    static long indexOf(long startSecond) {
        return (startSecond - BASE_SECONDS) % ROUND_SECONDS;
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        long compactionMinBytes = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
        LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(directory).withCompaction(compactionMinBytes, 2));
        long deadline = System.currentTimeMillis() + MAX_RUN_MILLIS;
        out.println("READY");
        out.flush();
        List<Thread> committers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread committer = new Thread(() -> {
                for (int i = 0; System.currentTimeMillis() < deadline; i++) {
                    Lease lease = leaseFor(round, thread, i);
                    try {
                        TestLeases.await(store.commit(lease));
                    } catch (Exception e) {
                        e.printStackTrace();
                        return;
                    }
                    synchronized (out) {
                        out.println("ACK " + lease.address().getHostAddress() + " " + lease.clientId() + " "
                                + lease.start().getEpochSecond());
                        out.flush();
                    }
                }
            }, "committer-" + t);
            committer.start();
            committers.add(committer);
        }
        for (Thread committer : committers) {
            committer.join();
        }
        store.close();
    }
}

package org.diskless.leases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.diskless.api.leases.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} for real: a child JVM commits leases and prints each one once its stage
 * completed; it is killed with SIGKILL at a random moment (often inside a group commit or a
 * compaction), several times over the same directory. Every lease it printed must be there after
 * recovery, and no address may come back to an older client than the one last acknowledged.
 *
 * <p>The moments of the kills come from a seed, printed at the start and named in any failure;
 * {@code -Ddiskless.crash.seed=N} runs them again (the child's threads still race as they will).
 */
class CrashRecoveryTest {

    private static final int ROUNDS = 6;
    private static final int THREADS = 16;
    /** Small, so compactions happen many times a second and kills land inside them. */
    private static final long COMPACTION_MIN_BYTES = 8192;
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final String SEED_PROPERTY = "diskless.crash.seed";

    @TempDir
    Path temp;

    /** One acknowledged lease as the child printed it. */
    private record Ack(String address, String clientId, long start) {
    }

    @Test
    void everyLeaseAcknowledgedBeforeSigkillIsRecovered() throws Exception {
        long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        System.out.println("CrashRecoveryTest: seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        try {
            killAndRecoverRounds(new Random(seed));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " [seed " + seed + ": replay with -D" + SEED_PROPERTY + "="
                    + seed + "]", e);
        }
    }

    private void killAndRecoverRounds(Random random) throws Exception {
        Path directory = temp.resolve("leases");
        Map<String, Ack> lastAckByAddress = new HashMap<>();
        int acknowledged = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            List<Ack> acks = runAndKill(directory, round, 300 + random.nextInt(1200));
            assertFalse(acks.isEmpty(), "round " + round + " acknowledged nothing before the kill");
            acknowledged += acks.size();
            for (Ack ack : acks) {
                lastAckByAddress.put(ack.address(), ack); // in print order: later wins
            }
            try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(directory))) {
                assertEveryAcknowledgementHolds(store, lastAckByAddress, round);
                assertNoAddressHasTwoHolders(store);
            }
        }
        assertTrue(acknowledged > ROUNDS * 50, "too few commits to mean anything: " + acknowledged);
    }

    private static void assertEveryAcknowledgementHolds(LeaseJournal store, Map<String, Ack> lastAckByAddress,
                                                        int round) throws IOException {
        for (Ack ack : lastAckByAddress.values()) {
            Inet4Address address = (Inet4Address) InetAddress.getByName(ack.address());
            Lease held = store.byAddress(address).orElse(null);
            if (held == null) {
                fail("round " + round + ": acknowledged lease " + ack + " is lost; recovery " + store.recovery());
            }
            long heldStart = held.start().getEpochSecond();
            if (heldStart == ack.start()) {
                assertEquals(ack.clientId(), held.clientId(), "round " + round + ": " + ack);
            } else {
                // Only a commit made durable after the last print may be newer: the same thread's
                // next lease of this address, which it had not printed yet when it was killed —
                // in the same round, or the round's first lease of the address in a later one.
                long heldRound = CrashingCommitter.roundOf(heldStart);
                long heldIndex = CrashingCommitter.indexOf(heldStart);
                boolean nextInRound = heldStart == ack.start() + CrashingCommitter.ADDRESSES_PER_THREAD;
                boolean firstOfThisRound = heldRound == round && CrashingCommitter.roundOf(ack.start()) < round
                        && heldIndex < CrashingCommitter.ADDRESSES_PER_THREAD;
                assertTrue(nextInRound || firstOfThisRound, "round " + round + ": " + ack.address()
                        + " acknowledged to " + ack.clientId() + " but recovered as " + held);
            }
        }
    }

    private static void assertNoAddressHasTwoHolders(LeaseJournal store) {
        Set<Inet4Address> seen = new HashSet<>();
        for (Lease lease : store.leases()) {
            assertTrue(seen.add(lease.address()), "two leases for " + lease.address());
            assertEquals(lease, store.byAddress(lease.address()).orElseThrow());
            Lease ofClient = store.byClientId(lease.clientId()).orElseThrow();
            assertEquals(lease.clientId(), store.byAddress(ofClient.address()).orElseThrow().clientId(),
                    "byClientId points at an address its client does not hold");
        }
    }

    /**
     * The child's output goes to a file, not a pipe: once the child's write returned, its line is
     * in the file, whatever happens to the child or how far behind the parent is. A pipe would lose
     * lines: {@link Process#destroyForcibly()} closes the parent's end, discarding what it had not
     * read yet, which on a loaded machine is hundreds of acknowledgements.
     */
    private List<Ack> runAndKill(Path directory, int round, long runMillis) throws Exception {
        Path stdout = temp.resolve("child-" + round + ".out");
        Path stderr = temp.resolve("child-" + round + ".err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                CrashingCommitter.class.getName(), directory.toString(), Integer.toString(round),
                Integer.toString(THREADS), Long.toString(COMPACTION_MIN_BYTES))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (!Files.readString(stdout).startsWith("READY\n")) {
                if (System.currentTimeMillis() > deadline || !child.isAlive()) {
                    fail("the child did not start: " + Files.readString(stderr));
                }
                Thread.sleep(10);
            }
            // The kill must land while commits flow: on a loaded host the child's first commit can
            // take longer than a short run, and a round that acknowledged nothing proves nothing.
            while (!Files.readString(stdout).contains("\nACK ")) {
                if (System.currentTimeMillis() > deadline || !child.isAlive()) {
                    fail("the child acknowledged nothing within " + START_TIMEOUT_MILLIS + " ms: "
                            + Files.readString(stderr));
                }
                Thread.sleep(10);
            }
            Thread.sleep(runMillis);
            assertTrue(child.isAlive(), "the child died on its own: " + Files.readString(stderr));
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
        }
        List<Ack> acks = parse(Files.readString(stdout));
        assertEachThreadAcknowledgedInTurn(acks, round);
        return acks;
    }

    /** Complete lines only: the child may be killed in the middle of printing one. */
    private static List<Ack> parse(String output) {
        List<Ack> acks = new ArrayList<>();
        int end = output.lastIndexOf('\n');
        for (String line : output.substring(0, end + 1).split("\n")) {
            String[] fields = line.split(" ");
            if (fields[0].equals("ACK")) {
                acks.add(new Ack(fields[1], fields[2], Long.parseLong(fields[3])));
            }
        }
        return acks;
    }

    /**
     * Each thread commits i = 0, 1, 2, ... one after the other, so its acknowledgements must read
     * in that order without a gap. One missing means the test lost a line of the child's output;
     * checking the store against such a record would blame it for a lease it did keep.
     */
    private static void assertEachThreadAcknowledgedInTurn(List<Ack> acks, int round) {
        Map<String, Long> nextIndexByThread = new HashMap<>();
        for (Ack ack : acks) {
            String thread = ack.clientId().substring(0, ack.clientId().lastIndexOf("-i"));
            long expected = nextIndexByThread.getOrDefault(thread, 0L);
            assertEquals(expected, CrashingCommitter.indexOf(ack.start()),
                    "round " + round + ": the test lost the child's acknowledgement(s) before " + ack);
            nextIndexByThread.put(thread, expected + 1);
        }
    }
}

package org.diskless.wake.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.Test;

class StaggeredWakeTest {

    private static final Instant T0 = TimelineStandingTest.T0;
    private static final Duration KERNEL_WAIT = Duration.ofSeconds(60);

    private final FakeTicker ticker = new FakeTicker();
    private final FakeStanding standing = new FakeStanding();
    private final RecordingWaker waker = new RecordingWaker();
    private final List<String> lines = new ArrayList<>();
    private final List<WakeTarget> nodes = IntStream.rangeClosed(1, 5).mapToObj(StaggeredWakeTest::node).toList();

    @Test
    void batchesOfNLeaveSSecondsApartInTheOrderGiven() {
        StaggeredWake.Outcome outcome = run(new WakePlan(2, Duration.ofSeconds(10), false, KERNEL_WAIT, false));

        assertEquals(List.of(List.of("node1", "node2"), List.of("node3", "node4"), List.of("node5")), outcome.batches());
        assertEquals(Map.of("node1", T0, "node2", T0, "node3", T0.plusSeconds(10), "node4", T0.plusSeconds(10),
                "node5", T0.plusSeconds(20)), waker.wokenAt);
        assertEquals(List.of(
                "Batch 1 at 10:00:00: woke node1, node2 (UDP 198.18.6.255:9)",
                "Batch 2 at 10:00:10: woke node3, node4 (UDP 198.18.6.255:9)",
                "Batch 3 at 10:00:20: woke node5 (UDP 198.18.6.255:9)",
                "Woke 5 nodes in 3 batches."), lines);
    }

    @Test
    void aNodeThatIsBootingIsSkippedAndTheNextTakesItsPlace() {
        standing.busy.put("node2", "boot in progress (last step 3 s ago)");

        StaggeredWake.Outcome outcome = run(new WakePlan(2, Duration.ofSeconds(10), false, KERNEL_WAIT, false));

        assertEquals(List.of(List.of("node1", "node3"), List.of("node4", "node5")), outcome.batches());
        assertEquals(Map.of("node2", "boot in progress (last step 3 s ago)"), outcome.skipped());
        assertEquals("Batch 1 at 10:00:00: woke node1, node3 (UDP 198.18.6.255:9); skipped node2: boot in progress"
                + " (last step 3 s ago)", lines.get(0));
        assertEquals("Woke 4 nodes in 2 batches; skipped 1 (--force wakes them anyway).", lines.get(lines.size() - 1));
    }

    @Test
    void aNodeIsCheckedWhenItsBatchLeavesNotWhenTheRunStarts() {
        standing.busyFrom.put("node4", T0.plusSeconds(5));

        StaggeredWake.Outcome outcome = run(new WakePlan(2, Duration.ofSeconds(10), false, KERNEL_WAIT, false));

        assertEquals(List.of(List.of("node1", "node2"), List.of("node3", "node5")), outcome.batches());
    }

    @Test
    void forceWakesBusyNodesToo() {
        standing.busy.put("node2", "booted 2 min ago (kernel sent)");

        StaggeredWake.Outcome outcome = run(new WakePlan(5, Duration.ofSeconds(10), false, KERNEL_WAIT, true));

        assertEquals(List.of(List.of("node1", "node2", "node3", "node4", "node5")), outcome.batches());
        assertEquals(Map.of(), outcome.skipped());
    }

    @Test
    void untilKernelHoldsTheNextBatchUntilTheLastOneFetchedItsKernel() {
        standing.kernelAt.put("node1", T0.plusSeconds(25));
        standing.kernelAt.put("node2", T0.plusSeconds(31));
        standing.kernelAt.put("node3", T0.plusSeconds(33));

        StaggeredWake.Outcome outcome = run(new WakePlan(2, Duration.ofSeconds(10), true, KERNEL_WAIT, false));

        Instant second = waker.wokenAt.get("node3");
        assertTrue(!second.isBefore(T0.plusSeconds(31)) && second.isBefore(T0.plusSeconds(32)),
                () -> "batch 2 left at " + second + ", not once node2 had its kernel (+31 s)");
        Instant third = waker.wokenAt.get("node5");
        assertTrue(!third.isBefore(second.plusSeconds(10)), () -> "batch 3 left at " + third
                + ": the interval still holds when the kernels come sooner");
        assertEquals(List.of("node4"), outcome.withoutKernel(), "node4 never fetches one");
        assertTrue(lines.contains("  every kernel fetched within 31.0 s"), lines::toString);
    }

    @Test
    void untilKernelGivesUpAfterTheWaitAndNamesWhoDidNotGetThere() {
        standing.kernelAt.put("node1", T0.plusSeconds(5));

        StaggeredWake.Outcome outcome = run(new WakePlan(2, Duration.ofSeconds(10), true, KERNEL_WAIT, false));

        assertEquals(T0.plusSeconds(60), waker.wokenAt.get("node3"), "after kernelWait, not before");
        assertEquals(List.of("node2", "node3", "node4"), outcome.withoutKernel());
        assertTrue(lines.contains("  no kernel fetched within 60.0 s by node2; going on"), lines::toString);
        assertEquals(3, outcome.batches().size());
    }

    @Test
    void aNodeWithoutAKernelBootFileIsNotWaitedFor() {
        List<WakeTarget> two = List.of(new WakeTarget("bare", HardwareAddress.parse("52:54:00:00:01:00"),
                Optional.empty(), Optional.empty()), node(2));

        new StaggeredWake(new WakePlan(1, Duration.ofSeconds(10), true, KERNEL_WAIT, false), standing, waker, ticker,
                ZoneOffset.UTC, lines::add).run(two);

        assertEquals(T0.plusSeconds(10), waker.wokenAt.get("node2"));
        assertTrue(lines.contains("  not waited for (no kernel boot file in the inventory): bare"), lines::toString);
    }

    @Test
    void withoutTimelinesNothingIsSkippedOrAwaitedAndThatIsSaidOnce() {
        standing.available = false;
        standing.busy.put("node2", "boot in progress");

        StaggeredWake.Outcome outcome = run(new WakePlan(2, Duration.ofSeconds(10), true, KERNEL_WAIT, false));

        assertEquals(3, outcome.batches().size());
        assertEquals(Map.of(), outcome.skipped());
        assertEquals(T0.plusSeconds(10), waker.wokenAt.get("node3"), "the interval only");
        assertEquals(1, lines.stream().filter(l -> l.startsWith("No boot timelines")).count(), lines::toString);
        assertTrue(lines.get(0).contains("--until kernel cannot tell"), lines.get(0));
    }

    @Test
    void anInterruptStopsTheRunAndNamesTheNodesNeverWoken() {
        ticker.interruptAtSleep = 2;

        StaggeredWake.Outcome outcome = run(new WakePlan(2, Duration.ofSeconds(10), false, KERNEL_WAIT, false));

        assertTrue(outcome.interrupted());
        assertEquals(List.of(List.of("node1", "node2")), outcome.batches());
        assertEquals(List.of("node3", "node4", "node5"), outcome.notWoken());
        assertEquals("Interrupted: 2 nodes woken; not woken: node3, node4, node5.", lines.get(lines.size() - 1));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    }

    @Test
    void aProblemIsPrintedOncePerRun() {
        waker.problem = "no raw Ethernet frames on eth1: run as root or grant CAP_NET_RAW";

        run(new WakePlan(2, Duration.ofSeconds(0), false, KERNEL_WAIT, false));

        assertEquals(1, lines.stream().filter(l -> l.contains("CAP_NET_RAW")).count(), lines::toString);
    }

    private StaggeredWake.Outcome run(WakePlan plan) {
        return new StaggeredWake(plan, standing, waker, ticker, ZoneOffset.UTC, lines::add).run(nodes);
    }

    private static WakeTarget node(int i) {
        return new WakeTarget("node" + i, HardwareAddress.parse("52:54:00:00:00:0" + i), Optional.empty(),
                Optional.of("images/vmlinuz"));
    }

    /** Time that moves only when the code under test sleeps. */
    private static final class FakeTicker implements Ticker {
        Instant now = T0;
        int sleeps;
        int interruptAtSleep = -1;

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (++sleeps == interruptAtSleep) {
                throw new InterruptedException();
            }
            if (duration.isNegative()) {
                return;
            }
            now = now.plus(duration);
        }
    }

    /** Timelines that answer from maps, against the fake clock. */
    private final class FakeStanding implements BootStanding {
        boolean available = true;
        final Map<String, String> busy = new HashMap<>();
        final Map<String, Instant> busyFrom = new HashMap<>();
        final Map<String, Instant> kernelAt = new HashMap<>();

        @Override
        public boolean available() {
            return available;
        }

        @Override
        public Optional<String> busy(WakeTarget target, Instant now) {
            Instant from = busyFrom.get(target.name());
            if (from != null && !now.isBefore(from)) {
                return Optional.of("boot in progress");
            }
            return Optional.ofNullable(busy.get(target.name()));
        }

        @Override
        public boolean fetchedKernel(WakeTarget target, Instant since) {
            Instant at = kernelAt.get(target.name());
            return at != null && !at.isBefore(since) && !ticker.now().isBefore(at);
        }
    }

    /** Records when each node was woken, by the fake clock. */
    private final class RecordingWaker implements Waker {
        final Map<String, Instant> wokenAt = new LinkedHashMap<>();
        String problem;

        @Override
        public Sent wake(WakeTarget target) {
            wokenAt.put(target.name(), ticker.now());
            return new Sent("UDP 198.18.6.255:9", problem == null ? List.of() : List.of(problem));
        }

        @Override
        public void close() {
        }
    }
}

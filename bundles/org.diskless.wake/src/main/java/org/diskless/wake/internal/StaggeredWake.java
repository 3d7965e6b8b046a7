package org.diskless.wake.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Wakes nodes a batch at a time so that the boot server sees a steady stream instead of a storm:
 * {@code batch} nodes, then {@code interval}, then the next ones, printing one line per batch.
 *
 * <p>Just before a batch leaves, each of its candidates is checked against the boot timelines: a node
 * that is booting, or booted within the configured window, is skipped (and named) unless the plan
 * forces it, and the next candidate takes its place. With {@code untilKernel} the next batch also
 * waits until every node of the last one has been sent its kernel, at most {@code kernelWait}; then
 * it goes on and names those that did not get there. Without timelines (no boot feature) it wakes
 * without skipping or waiting on kernels, and says so once.
 *
 * <p>An interrupt (Ctrl-C in the shell) ends the run between two packets: what was woken stays
 * woken, and the nodes never woken are named.
 */
final class StaggeredWake {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    /** What a run did, for the caller and for tests. */
    record Outcome(List<List<String>> batches, Map<String, String> skipped, List<String> withoutKernel,
                   List<String> notWoken, boolean interrupted) {
        Outcome {
            batches = batches.stream().map(List::copyOf).toList();
            skipped = Map.copyOf(skipped);
            withoutKernel = List.copyOf(withoutKernel);
            notWoken = List.copyOf(notWoken);
        }
    }

    private final WakePlan plan;
    private final BootStanding standing;
    private final Waker waker;
    private final Ticker ticker;
    private final ZoneId zone;
    private final Consumer<String> progress;

    StaggeredWake(WakePlan plan, BootStanding standing, Waker waker, Ticker ticker, ZoneId zone,
                  Consumer<String> progress) {
        this.plan = plan;
        this.standing = standing;
        this.waker = waker;
        this.ticker = ticker;
        this.zone = zone;
        this.progress = progress;
    }

    Outcome run(List<WakeTarget> targets) {
        Deque<WakeTarget> waiting = new ArrayDeque<>(targets);
        List<List<String>> batches = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<String> withoutKernel = new ArrayList<>();
        Set<String> problemsSeen = new LinkedHashSet<>();
        boolean timelines = standing.available();
        if (!timelines) {
            progress.accept("No boot timelines (feature diskless-boot is not installed): nodes are woken without"
                    + " checking whether they are booting" + (plan.untilKernel()
                    ? ", and --until kernel cannot tell when a kernel was fetched: batches follow the interval only"
                    : "") + ".");
        }
        Instant nextBatch = ticker.now();
        try {
            while (!waiting.isEmpty()) {
                ticker.sleep(Duration.between(ticker.now(), nextBatch));
                Instant now = ticker.now();
                List<WakeTarget> batch = new ArrayList<>();
                Map<String, String> skippedNow = new LinkedHashMap<>();
                while (batch.size() < plan.batch() && !waiting.isEmpty()) {
                    WakeTarget candidate = waiting.peekFirst();
                    Optional<String> busy = plan.force() || !timelines ? Optional.empty() : standing.busy(candidate, now);
                    waiting.removeFirst();
                    if (busy.isPresent()) {
                        skippedNow.put(candidate.name(), busy.get());
                    } else {
                        batch.add(candidate);
                    }
                }
                skipped.putAll(skippedNow);
                if (batch.isEmpty()) {
                    progress.accept(skippedLine(skippedNow));
                    continue;
                }
                List<String> names = new ArrayList<>();
                Set<String> how = new LinkedHashSet<>();
                List<String> problems = new ArrayList<>();
                for (WakeTarget target : batch) {
                    Waker.Sent sent = waker.wake(target);
                    names.add(target.name());
                    if (!sent.how().isEmpty()) {
                        how.add(sent.how());
                    }
                    sent.problems().stream().filter(problemsSeen::add).forEach(problems::add);
                }
                batches.add(names);
                progress.accept("Batch " + batches.size() + " at " + TIME.format(now.atZone(zone)) + ": woke "
                        + String.join(", ", names) + (how.isEmpty() ? "" : " (" + String.join("; ", how) + ")")
                        + (skippedNow.isEmpty() ? "" : "; " + skippedLine(skippedNow)));
                problems.forEach(p -> progress.accept("  " + p));
                nextBatch = now.plus(plan.interval());
                if (plan.untilKernel() && timelines && !waiting.isEmpty()) {
                    List<String> missing = awaitKernels(batch, now);
                    withoutKernel.addAll(missing);
                    Instant end = ticker.now();
                    if (end.isAfter(nextBatch)) {
                        nextBatch = end;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            List<String> notWoken = waiting.stream().map(WakeTarget::name).toList();
            progress.accept("Interrupted: " + countOf(batches) + " woken" + (notWoken.isEmpty() ? ""
                    : "; not woken: " + String.join(", ", notWoken)) + ".");
            return new Outcome(batches, skipped, withoutKernel, notWoken, true);
        }
        progress.accept("Woke " + countOf(batches) + " in " + batches.size() + (batches.size() == 1 ? " batch" : " batches")
                + (skipped.isEmpty() ? "" : "; skipped " + skipped.size() + " (--force wakes them anyway)") + ".");
        return new Outcome(batches, skipped, withoutKernel, List.of(), false);
    }

    /**
     * Waits until every node of the batch woken at {@code wokenAt} fetched its kernel, or
     * {@code kernelWait} passed. Returns the names of the nodes that did not get there in time.
     */
    private List<String> awaitKernels(List<WakeTarget> batch, Instant wokenAt) throws InterruptedException {
        List<WakeTarget> pending = new ArrayList<>();
        List<String> unknowable = new ArrayList<>();
        for (WakeTarget target : batch) {
            if (target.kernel().isPresent()) {
                pending.add(target);
            } else {
                unknowable.add(target.name());
            }
        }
        if (!unknowable.isEmpty()) {
            progress.accept("  not waited for (no kernel boot file in the inventory): " + String.join(", ", unknowable));
        }
        Instant deadline = wokenAt.plus(plan.kernelWait());
        boolean waitedFor = !pending.isEmpty();
        while (true) {
            Instant now = ticker.now();
            pending.removeIf(target -> standing.fetchedKernel(target, wokenAt));
            if (pending.isEmpty()) {
                if (waitedFor) {
                    progress.accept("  every kernel fetched within " + seconds(Duration.between(wokenAt, now)));
                }
                return List.of();
            }
            if (!now.isBefore(deadline)) {
                List<String> missing = pending.stream().map(WakeTarget::name).toList();
                progress.accept("  no kernel fetched within " + seconds(plan.kernelWait()) + " by "
                        + String.join(", ", missing) + "; going on");
                return missing;
            }
            Duration pause = WakePlan.POLL;
            Duration left = Duration.between(now, deadline);
            ticker.sleep(left.compareTo(pause) < 0 ? left : pause);
        }
    }

    private static String skippedLine(Map<String, String> skipped) {
        List<String> parts = new ArrayList<>();
        skipped.forEach((name, why) -> parts.add(name + ": " + why));
        return "skipped " + String.join("; ", parts);
    }

    private static String countOf(List<List<String>> batches) {
        int n = batches.stream().mapToInt(List::size).sum();
        return n + (n == 1 ? " node" : " nodes");
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}

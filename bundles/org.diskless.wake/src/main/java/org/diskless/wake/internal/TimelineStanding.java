package org.diskless.wake.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.timeline.BootHistory;
import org.diskless.api.timeline.RecordedBoot;
import org.diskless.support.log.Printable;

/**
 * {@link BootStanding} from the boot timelines ({@link BootHistory}), read afresh at each question
 * so that a timeline bundle installed or removed during a run is noticed.
 *
 * <p>A node is busy when its latest boot made a step less than {@code recentBoot} ago: it is
 * booting (no kernel sent yet) or booted lately. A node fetched its kernel when a protocol reported
 * its {@code kernel} boot file sent whole ({@code FILE_SENT}), named as the node's configuration
 * names it, with or without a leading {@code /} or the folder of the loader that asked for it.
 */
final class TimelineStanding implements BootStanding {

    private static final int MAX_STEP_CHARS = 80;

    private final Supplier<Optional<BootHistory>> history;
    private final Duration recentBoot;

    TimelineStanding(Supplier<Optional<BootHistory>> history, Duration recentBoot) {
        this.history = history;
        this.recentBoot = recentBoot;
    }

    @Override
    public boolean available() {
        return history.get().isPresent();
    }

    @Override
    public Optional<String> busy(WakeTarget target, Instant now) {
        Optional<RecordedBoot> last = history.get().flatMap(h -> h.lastBoot(target.mac()));
        if (last.isEmpty()) {
            return Optional.empty();
        }
        RecordedBoot boot = last.get();
        Duration quiet = Duration.between(boot.lastActivity(), now);
        if (quiet.compareTo(recentBoot) >= 0) {
            return Optional.empty();
        }
        boolean kernelSent = boot.events().stream().anyMatch(e -> isKernel(target, e));
        String lastStep = boot.events().isEmpty() ? "" : ": " + Printable.of(step(boot.events().get(boot.events().size() - 1)), MAX_STEP_CHARS);
        if (kernelSent) {
            return Optional.of("booted " + ago(Duration.between(boot.started(), now)) + " (kernel sent)");
        }
        return Optional.of("boot in progress (last step " + ago(quiet) + lastStep + ")");
    }

    @Override
    public boolean fetchedKernel(WakeTarget target, Instant since) {
        Optional<RecordedBoot> last = history.get().flatMap(h -> h.lastBoot(target.mac()));
        return last.isPresent() && last.get().events().stream()
                .anyMatch(e -> !e.time().isBefore(since) && isKernel(target, e));
    }

    private static boolean isKernel(WakeTarget target, BootEvent event) {
        if (target.kernel().isEmpty() || !event.kind().equals(BootEvent.Kind.FILE_SENT)) {
            return false;
        }
        String kernel = stripSlash(target.kernel().get());
        String sent = stripSlash(event.detail());
        return sent.equals(kernel) || sent.endsWith("/" + kernel);
    }

    private static String stripSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static String step(BootEvent event) {
        return (event.protocol() + " " + event.kind() + " " + event.detail()).strip();
    }

    static String ago(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds < 120 ? seconds + " s ago" : seconds / 60 + " min ago";
    }
}

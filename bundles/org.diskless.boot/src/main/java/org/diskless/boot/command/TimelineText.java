package org.diskless.boot.command;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.Node;
import org.diskless.boot.internal.BootView;

/** How a boot reads in the shell: one line per step, times relative to the first. */
final class TimelineText {

    private static final DateTimeFormatter DAY_AND_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private TimelineText() {
    }

    /** The header line and the steps of one boot. */
    static String timeline(BootView boot, Optional<Node> node, ZoneId zone, Instant now) {
        StringBuilder text = new StringBuilder();
        text.append(title(boot, node)).append(" — boot at ")
                .append(DAY_AND_TIME.format(boot.started().atZone(zone)))
                .append(" (").append(age(boot.lastActivity(), now)).append(")")
                .append(", ").append(seconds(Duration.between(boot.started(), boot.lastActivity())))
                .append(", ").append(boot.files()).append(boot.files() == 1 ? " file " : " files ")
                .append(bytes(boot.bytes()))
                .append(boot.failures() == 0 ? ""
                        : ", " + boot.failures() + (boot.failures() == 1 ? " failure" : " failures"))
                .append('\n');
        List<BootEvent> first = withoutFinishedStarts(boot.first(), boot);
        List<BootEvent> latest = withoutFinishedStarts(boot.latest(), boot);
        for (BootEvent event : first) {
            text.append(step(event, boot.started(), zone)).append('\n');
        }
        if (boot.omitted() > 0) {
            text.append("  … ").append(boot.omitted()).append(boot.omitted() == 1 ? " event" : " events")
                    .append(" not kept …\n");
        }
        for (BootEvent event : latest) {
            text.append(step(event, boot.started(), zone)).append('\n');
        }
        return text.toString();
    }

    /** {@code node01 (52:54:00:12:34:56)}, or the bare MAC/address of a client not in the inventory. */
    static String title(BootView boot, Optional<Node> node) {
        return node.map(n -> n.name() + " (" + n.hardwareAddress() + ")")
                .orElseGet(() -> boot.client().display() + " (not in the inventory)");
    }

    static String step(BootEvent event, Instant start, ZoneId zone) {
        String offset = String.format(Locale.ROOT, "+%.3f s", Duration.between(start, event.time()).toNanos() / 1e9);
        return String.format(Locale.ROOT, "  %s %10s  %-9s %-9s %s", TIME.format(event.time().atZone(zone)), offset,
                protocol(event.protocol()), kind(event.kind()), detail(event)).stripTrailing();
    }

    /** Where a client stands after this event, in a few words: {@code TFTP sent vmlinuz}. */
    static String standing(BootEvent event) {
        String detail = event.detail();
        if (isFile(event.kind())) {
            detail = fileName(event);
        }
        return (protocol(event.protocol()) + " " + kind(event.kind()) + " " + detail).strip();
    }

    static String protocol(BootProtocol protocol) {
        return protocol.equals(BootProtocol.PROXY_DHCP) ? "ProxyDHCP" : protocol.name();
    }

    /** Kinds shown as a word; any other kind, a third party's too, as its name. */
    private static final Map<BootEvent.Kind, String> KIND_WORDS = Map.of(
            BootEvent.Kind.FILE_STARTED, "started",
            BootEvent.Kind.FILE_SENT, "sent",
            BootEvent.Kind.FILE_RECEIVED, "received",
            BootEvent.Kind.FILE_FAILED, "FAILED",
            BootEvent.Kind.SESSION_OPENED, "opened",
            BootEvent.Kind.SESSION_CLOSED, "closed");

    static String kind(BootEvent.Kind kind) {
        return KIND_WORDS.getOrDefault(kind, kind.name());
    }

    private static String detail(BootEvent event) {
        if (event.kind() == BootEvent.Kind.FILE_SENT || event.kind() == BootEvent.Kind.FILE_RECEIVED) {
            return event.detail() + "  " + event.bytes() + " bytes (" + bytes(event.bytes()) + ") in "
                    + seconds(event.duration());
        }
        if (event.kind() == BootEvent.Kind.FILE_FAILED && event.bytes() > 0) {
            return event.detail() + " (after " + event.bytes() + " bytes)";
        }
        return event.detail();
    }

    /**
     * A transfer reports that it started and how it ended; once the end is kept, the start says
     * nothing more and is left out. A start without an end is a transfer still running.
     */
    private static List<BootEvent> withoutFinishedStarts(List<BootEvent> events, BootView boot) {
        List<BootEvent> kept = new ArrayList<>();
        for (BootEvent event : events) {
            if (event.kind() == BootEvent.Kind.FILE_STARTED && finishedLater(event, boot)) {
                continue;
            }
            kept.add(event);
        }
        return kept;
    }

    private static boolean finishedLater(BootEvent start, BootView boot) {
        List<BootEvent> all = new ArrayList<>(boot.first());
        all.addAll(boot.latest());
        for (BootEvent event : all) {
            if (isEnd(event.kind()) && event.protocol() == start.protocol() && event.client().equals(start.client())
                    && fileName(event).equals(fileName(start)) && !event.time().isBefore(start.time())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFile(BootEvent.Kind kind) {
        return kind == BootEvent.Kind.FILE_STARTED || isEnd(kind);
    }

    private static boolean isEnd(BootEvent.Kind kind) {
        return kind == BootEvent.Kind.FILE_SENT || kind == BootEvent.Kind.FILE_RECEIVED
                || kind == BootEvent.Kind.FILE_FAILED;
    }

    /** File events carry {@code name} or {@code name: what happened}. */
    private static String fileName(BootEvent event) {
        int colon = event.detail().indexOf(": ");
        return colon < 0 ? event.detail() : event.detail().substring(0, colon);
    }

    static String bytes(long count) {
        double value = count;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", value, UNITS[unit]);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }

    static String age(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86400 + " d ago";
    }
}

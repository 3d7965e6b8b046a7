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

    /** How boots are told apart and what is a failure, for the commands' help ({@code BootRules} in words). */
    static final String RULES = "A boot starts at a DHCP or ProxyDHCP DISCOVER from the machine's firmware"
            + " (a PXE ROM, UEFI PXE or HTTP boot: it names its architecture and no user class) once the previous"
            + " boot got past asking for an address, or after quietGap of silence; the DHCP of what the firmware"
            + " loaded (iPXE, GRUB, a kernel's ip=dhcp) continues the boot. A step that went wrong (a refused"
            + " request, a stopped transfer, a NAK) is a failure, in capitals (REFUSED, FAILED), only when the boot"
            + " got no further after it; pxelinux asking for config names that do not exist, EDK2's size probe and"
            + " GRUB closing a file after its size are normal and shown in lower case. Times count from the boot's"
            + " start; each client's last boot survives a restart.";

    private TimelineText() {
    }

    /**
     * The header line and the steps of one boot. The header says the same as the boot's row in
     * {@code boot:nodes} at the same moment: when it started and how long ago, how long from its
     * start to its last step, its files and its failures.
     */
    static String timeline(BootView boot, Optional<Node> node, ZoneId zone, Instant now) {
        StringBuilder text = new StringBuilder();
        text.append(title(boot, node)).append(" — boot started ")
                .append(DAY_AND_TIME.format(boot.started().atZone(zone)))
                .append(" (").append(age(boot.started(), now)).append(")")
                .append(", last step at +").append(seconds(took(boot)))
                .append(", ").append(boot.files()).append(boot.files() == 1 ? " file, " : " files, ")
                .append(size(boot.bytes()))
                .append(boot.failures() == 0 ? ""
                        : ", " + boot.failures() + (boot.failures() == 1 ? " failure" : " failures"))
                .append('\n');
        for (int i = 0; i < boot.first().size(); i++) {
            appendStep(text, boot, boot.first().get(i), i, zone);
        }
        if (boot.omitted() > 0) {
            text.append("  … ").append(boot.omitted()).append(boot.omitted() == 1 ? " event" : " events")
                    .append(" not kept …\n");
        }
        for (int i = 0; i < boot.latest().size(); i++) {
            appendStep(text, boot, boot.latest().get(i), boot.latestNumber(i), zone);
        }
        return text.toString();
    }

    private static void appendStep(StringBuilder text, BootView boot, BootEvent event, long number, ZoneId zone) {
        if (event.kind() == BootEvent.Kind.FILE_STARTED && finishedLater(event, boot)) {
            return;
        }
        text.append(step(event, boot.isFailure(event, number), boot.started(), zone)).append('\n');
    }

    /** From the boot's start to its last step. */
    static Duration took(BootView boot) {
        return Duration.between(boot.started(), boot.lastActivity());
    }

    /** {@code node01 (52:54:00:12:34:56)}, or the bare MAC/address of a client not in the inventory. */
    static String title(BootView boot, Optional<Node> node) {
        return node.map(n -> n.name() + " (" + n.hardwareAddress() + ")")
                .orElseGet(() -> boot.client().display() + " (not in the inventory)");
    }

    static String step(BootEvent event, boolean failure, Instant start, ZoneId zone) {
        String offset = String.format(Locale.ROOT, "+%.3f s", Duration.between(start, event.time()).toNanos() / 1e9);
        return String.format(Locale.ROOT, "  %s %10s  %-9s %-9s %s", TIME.format(event.time().atZone(zone)), offset,
                protocol(event.protocol()), kind(event.kind(), failure), detail(event)).stripTrailing();
    }

    /** Where a client stands after its boot's last event, in a few words: {@code TFTP sent vmlinuz}. */
    static String standing(BootView boot) {
        BootEvent event = boot.lastEvent();
        String detail = event.detail();
        if (isFile(event.kind())) {
            detail = fileName(event);
        }
        boolean failure = boot.isFailure(event, boot.eventCount() - 1);
        return (protocol(event.protocol()) + " " + kind(event.kind(), failure) + " " + detail).strip();
    }

    static String protocol(BootProtocol protocol) {
        return protocol.equals(BootProtocol.PROXY_DHCP) ? "ProxyDHCP" : protocol.name();
    }

    /** Kinds shown as a word; any other kind, a third party's too, as its name. */
    private static final Map<BootEvent.Kind, String> KIND_WORDS = Map.of(
            BootEvent.Kind.FILE_STARTED, "started",
            BootEvent.Kind.FILE_SENT, "sent",
            BootEvent.Kind.FILE_RECEIVED, "received",
            BootEvent.Kind.FILE_FAILED, "stopped",
            BootEvent.Kind.FILE_REFUSED, "refused",
            BootEvent.Kind.SESSION_OPENED, "opened",
            BootEvent.Kind.SESSION_CLOSED, "closed");

    /**
     * A step's kind as a word; a failure of the boot ({@link org.diskless.boot.internal.BootRules})
     * in capitals ({@code FAILED}, {@code REFUSED}), so a refusal or a stopped transfer the client
     * went on from reads differently from the one it stopped at.
     */
    static String kind(BootEvent.Kind kind, boolean failure) {
        if (failure) {
            return kind == BootEvent.Kind.FILE_FAILED ? "FAILED" : kind(kind).toUpperCase(Locale.ROOT);
        }
        return kind(kind);
    }

    static String kind(BootEvent.Kind kind) {
        return KIND_WORDS.getOrDefault(kind, kind.name());
    }

    private static String detail(BootEvent event) {
        if (event.kind() == BootEvent.Kind.FILE_SENT || event.kind() == BootEvent.Kind.FILE_RECEIVED) {
            return event.detail() + "  " + size(event.bytes()) + " in " + seconds(event.duration());
        }
        if (event.kind() == BootEvent.Kind.FILE_FAILED && event.bytes() > 0) {
            return event.detail() + " (after " + size(event.bytes()) + ")";
        }
        return event.detail();
    }

    /**
     * A transfer reports that it started and how it ended; once the end is kept, the start says
     * nothing more and is left out. A start without an end is a transfer still running.
     */
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

    /** {@code 435 bytes}, or with a unit beside when it reads better: {@code 123457 bytes (120.6 KiB)}. */
    static String size(long count) {
        return count < 1024 ? count + " bytes" : count + " bytes (" + bytes(count) + ")";
    }

    /** In the unit that reads best: {@code 435 B}, {@code 120.6 KiB}. */
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

package org.diskless.web.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;
import org.diskless.api.timeline.RecordedBoot;

/**
 * Where a node's last boot stands, for its tile: the furthest step its kept events reached. A boot
 * with failures ({@link RecordedBoot#failures()}, the rules of {@code boot:status}) is failed; one
 * that fetched every file of the node's kernel and RAM disk is done; otherwise the step is read from
 * the files it fetched: the node's RAM disk, its kernel, or any other file (the loader and its
 * configuration), else DHCP.
 */
enum BootStage {
    WAITING, DHCP, LOADER, KERNEL, RAMDISK, DONE, FAILED;

    /** The lower-case name the API and the page use. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static BootStage of(Node node, Optional<RecordedBoot> lastBoot) {
        if (lastBoot.isEmpty()) {
            return WAITING;
        }
        RecordedBoot boot = lastBoot.get();
        if (!boot.failures().isEmpty()) {
            return FAILED;
        }
        Optional<String> kernel = Optional.ofNullable(node.bootFiles().get(BootRole.KERNEL));
        Optional<String> initrd = Optional.ofNullable(node.bootFiles().get(BootRole.INITRD));
        List<BootEvent> events = boot.events();
        boolean kernelSent = kernel.isPresent() && events.stream().anyMatch(e -> sent(e) && names(e, kernel.get()));
        boolean initrdSent = initrd.isPresent() && events.stream().anyMatch(e -> sent(e) && names(e, initrd.get()));
        if (kernelSent && (initrd.isEmpty() || initrdSent)) {
            return DONE;
        }
        BootStage stage = DHCP;
        for (BootEvent event : events) {
            if (!isFile(event)) {
                continue;
            }
            BootStage step = initrd.isPresent() && names(event, initrd.get()) ? RAMDISK
                    : kernel.isPresent() && names(event, kernel.get()) ? KERNEL : LOADER;
            if (step.compareTo(stage) > 0) {
                stage = step;
            }
        }
        return stage;
    }

    /** The reason a failed boot stopped: its last failure's protocol, kind and detail. */
    static Optional<String> reason(Optional<RecordedBoot> lastBoot) {
        return lastBoot.flatMap(boot -> boot.failures().stream().reduce((first, second) -> second))
                .map(failure -> failure.protocol() + " " + failure.kind() + ": " + failure.detail());
    }

    private static boolean isFile(BootEvent event) {
        BootEvent.Kind kind = event.kind();
        return kind.equals(BootEvent.Kind.FILE_STARTED) || sent(event) || kind.equals(BootEvent.Kind.FILE_FAILED)
                || (kind.equals(BootEvent.Kind.FILE_REFUSED) && !event.protocol().equals(BootProtocol.DHCP));
    }

    private static boolean sent(BootEvent event) {
        return event.kind().equals(BootEvent.Kind.FILE_SENT) || event.kind().equals(BootEvent.Kind.FILE_RECEIVED);
    }

    /**
     * Whether a file event is about {@code path}: its detail starts with the file name, which a
     * client may ask for with or without a leading slash or under the HTTP server's path.
     */
    static boolean names(BootEvent event, String path) {
        String file = fileOf(event);
        String wanted = path.startsWith("/") ? path.substring(1) : path;
        return file.equals(wanted) || file.endsWith("/" + wanted);
    }

    /** The file name in a file event's detail: the text up to the first space or ':'. */
    static String fileOf(BootEvent event) {
        String detail = event.detail();
        int end = detail.length();
        for (int i = 0; i < detail.length(); i++) {
            char c = detail.charAt(i);
            if (c == ' ' || c == ':') {
                end = i;
                break;
            }
        }
        String file = detail.substring(0, end);
        return file.startsWith("/") ? file.substring(1) : file;
    }
}

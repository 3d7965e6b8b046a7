package org.diskless.dhcp.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.boot.BootContext;
import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the first file a booting client loads: the most specific statement wins. In this order:
 * <ol>
 * <li>the node's own file: its boot file role {@code ipxe} when the client is iPXE, else its role
 *     {@code loader};</li>
 * <li>the loader chosen by name for it: the node's role {@code bootloader}, else the subnet's
 *     {@code loader.<arch>}, else the server's {@code loader.<arch>} — that loader is asked first,
 *     and when it is not running, does not serve the architecture or declines, the rules below go on;</li>
 * <li>the file the server's configuration names for the firmware's architecture,
 *     {@code bootFile.<arch>}: an operator who named what a firmware loads gets it, whatever loader
 *     plug-ins are installed (not for an iPXE client, which is a loader's second stage already);</li>
 * <li>the BootLoader services that serve the client's architecture, highest
 *     {@code service.ranking} first (then the oldest), the first that names a file;</li>
 * <li>for an iPXE client, the server's {@code bootFile.ipxe}, else its {@code bootFile.<arch>}.</li>
 * </ol>
 * A client that announces no architecture (no option 93, none in option 60, none in the inventory)
 * is a BIOS PXE ROM older than RFC 4578: it is chosen for, and loaders are asked about it, as BIOS,
 * as option 43 treats it. An iPXE client (user class {@code iPXE}) is never handed an iPXE binary
 * again: that is the chainload loop, which ends only when the operator notices the node rebooting
 * forever.
 *
 * <p>Every rule consulted can be told to a {@link Trace} ({@code dhcp:explain}); serving passes
 * {@link Trace#NONE}, which builds no text.
 */
final class BootSelector {

    private static final Logger LOG = LoggerFactory.getLogger(BootSelector.class);
    private static final LogThrottle LOADER_FAILURES = new LogThrottle(Duration.ofMinutes(1));

    static final String IPXE_USER_CLASS = "iPXE";
    /** The node's boot file role naming the loader it boots through: {@code nodes:add --boot bootloader=grub}. */
    static final String BOOTLOADER_ROLE = "bootloader";

    /** Names iPXE builds go by: undionly.kpxe, ipxe.efi, snponly.efi, ipxe.lkrn, … */
    private static final Pattern IPXE_BINARY = Pattern.compile(
            "(?i)(.*/)?(undionly|ipxe|snponly|snp)[^/]*\\.(kpxe|kkpxe|kkkpxe|pxe|efi|lkrn|usb)");

    static final Comparator<RankedLoader> ORDER = Comparator.comparingInt(RankedLoader::ranking).reversed()
            .thenComparingLong(RankedLoader::serviceId);

    /** Where the rules consulted for one client are told, one line each. */
    interface Trace {
        Trace NONE = line -> { };

        void note(Supplier<String> line);
    }

    private BootSelector() {
    }

    /** What the client gets as its boot file: a path under the boot root or, for HTTP boot, a URL. */
    static Optional<String> choose(BootContext context, List<RankedLoader> loaders, DhcpSettings settings) {
        return choose(context, loaders, settings, Optional.empty(), Trace.NONE);
    }

    /**
     * @param subnet the subnet the client belongs to, for its {@code loader.<arch>}
     * @param trace  told each rule consulted and what it gave
     */
    static Optional<String> choose(BootContext context, List<RankedLoader> loaders, DhcpSettings settings,
                                   Optional<Subnet> subnet, Trace trace) {
        boolean ipxe = context.userClass().filter(IPXE_USER_CLASS::equals).isPresent();
        ClientArchitecture architecture = context.architecture().orElse(ClientArchitecture.BIOS);
        trace.note(() -> "client: architecture " + architecture.code() + (context.architecture().isEmpty()
                ? " (announced none: a BIOS PXE ROM)" : "") + (ipxe ? ", user class iPXE (a loader's second stage)" : "")
                + context.node().map(n -> ", node " + n.name()).orElse(", not in the node inventory"));
        Optional<Node> node = context.node();
        String ownRole = ipxe ? BootRole.IPXE : BootRole.LOADER;
        Optional<String> own = node.flatMap(n -> Optional.ofNullable(n.bootFiles().get(ownRole)));
        if (own.isPresent()) {
            boolean loop = ipxe && loops(own.get(), context);
            trace.note(() -> "1. node's boot file role '" + ownRole + "' = " + own.get()
                    + (loop ? ": an iPXE binary for iPXE, refused (it would load itself forever); no file" : ": chosen"));
            return own.filter(file -> !loop);
        }
        trace.note(() -> "1. node's boot file role '" + ownRole + "': not set");

        BootContext asked = context.withArchitecture(architecture);
        List<RankedLoader> sorted = loaders.stream().sorted(ORDER).toList();
        Optional<Named> named = namedLoader(node, subnet, settings, architecture);
        if (named.isPresent()) {
            Optional<RankedLoader> loader = sorted.stream()
                    .filter(l -> l.loader().name().equals(named.get().name())).findFirst();
            Optional<String> file = loader.filter(l -> l.serves(architecture))
                    .flatMap(l -> ask(l, asked, ipxe, context));
            trace.note(() -> "2. loader named by " + named.get().by() + ": '" + named.get().name() + "' "
                    + (loader.isEmpty() ? "is not running (installed loaders: " + names(sorted) + ")"
                    : !loader.get().serves(architecture) ? "is not asked about architecture " + architecture.code()
                    : file.map(f -> "names " + f + ": chosen").orElse("declines")));
            if (file.isPresent()) {
                return file;
            }
        } else {
            trace.note(() -> "2. loader named for architecture " + architecture.code()
                    + ": none (node role 'bootloader', subnet and server 'loader." + key(architecture) + "' unset)");
        }

        Optional<String> configured = Optional.ofNullable(settings.bootFiles().get(architecture.code()));
        if (!ipxe) {
            trace.note(() -> "3. bootFile." + key(architecture) + configured.map(f -> " = " + f + ": chosen")
                    .orElse(": not set"));
            if (configured.isPresent()) {
                return configured;
            }
        } else {
            trace.note(() -> "3. bootFile." + key(architecture) + ": not for an iPXE client before the loaders");
        }

        for (RankedLoader loader : sorted) {
            if (!loader.serves(architecture)) {
                continue;
            }
            Optional<String> file = ask(loader, asked, ipxe, context);
            trace.note(() -> "4. loader '" + loader.loader().name() + "' (ranking " + loader.ranking() + "): "
                    + file.map(f -> "names " + f + ": chosen").orElse("declines"));
            if (file.isPresent()) {
                return file;
            }
        }
        trace.note(() -> "4. loaders asked about architecture " + architecture.code() + ": "
                + (sorted.stream().anyMatch(l -> l.serves(architecture)) ? "none named a file" : "none installed"));
        if (!ipxe) {
            return Optional.empty();
        }
        if (settings.ipxeBootFile().isPresent()) {
            trace.note(() -> "5. bootFile.ipxe = " + settings.ipxeBootFile().get() + ": chosen");
            return settings.ipxeBootFile();
        }
        Optional<String> fallback = configured.filter(file -> !loops(file, context));
        trace.note(() -> "5. bootFile.ipxe not set; bootFile." + key(architecture) + configured.map(f -> " = " + f
                + (fallback.isPresent() ? ": chosen" : ": an iPXE binary, refused")).orElse(": not set"));
        return fallback;
    }

    /** Who named a loader for this client, most specific first. */
    private record Named(String name, String by) {
    }

    private static Optional<Named> namedLoader(Optional<Node> node, Optional<Subnet> subnet, DhcpSettings settings,
                                               ClientArchitecture architecture) {
        Optional<String> byNode = node.flatMap(n -> Optional.ofNullable(n.bootFiles().get(BOOTLOADER_ROLE)))
                .map(String::trim).filter(name -> !name.isEmpty());
        if (byNode.isPresent()) {
            return Optional.of(new Named(byNode.get(), "the node's role '" + BOOTLOADER_ROLE + "'"));
        }
        Optional<Named> bySubnet = subnet.flatMap(s -> Optional.ofNullable(s.loaders().get(architecture.code()))
                .map(name -> new Named(name, "subnet " + s.name() + "'s loader." + key(architecture))));
        if (bySubnet.isPresent()) {
            return bySubnet;
        }
        return Optional.ofNullable(settings.loaders().get(architecture.code()))
                .map(name -> new Named(name, "the server's loader." + key(architecture)));
    }

    /** A loader's answer; a failure or an iPXE binary for iPXE count as declining. */
    private static Optional<String> ask(RankedLoader loader, BootContext asked, boolean ipxe, BootContext context) {
        Optional<String> file;
        try {
            file = loader.loader().bootFile(asked);
        } catch (RuntimeException e) {
            // Per request: a broken loader and a boot storm would otherwise write a stack trace a packet.
            String name = Printable.of(loader.loader().name(), 64);
            LOADER_FAILURES.warn(LOG, name, "Boot loader '{}' failed to choose a file for {}; asking the next one",
                    name, context.hardwareAddress().map(Object::toString).orElse("a client"), e);
            return Optional.empty();
        }
        return file.filter(f -> !(ipxe && loops(f, context)));
    }

    /** The configuration key's architecture word: {@code efi64} for 7 and 9. */
    static String key(ClientArchitecture architecture) {
        int code = architecture.code();
        return DhcpSettings.BOOT_FILE_KEYS.entrySet().stream().filter(e -> e.getValue().contains(code))
                .map(e -> e.getKey().substring("bootFile.".length())).findFirst().orElse(String.valueOf(code));
    }

    private static String names(List<RankedLoader> loaders) {
        return loaders.isEmpty() ? "none" : String.join(", ", loaders.stream().map(l -> l.loader().name()).toList());
    }

    private static boolean loops(String file, BootContext context) {
        if (!IPXE_BINARY.matcher(file.toLowerCase(Locale.ROOT)).matches()) {
            return false;
        }
        LOG.debug("Not sending {} to iPXE client {} again: that would chainload iPXE forever", file,
                context.hardwareAddress().map(Object::toString).orElse("?"));
        return true;
    }
}

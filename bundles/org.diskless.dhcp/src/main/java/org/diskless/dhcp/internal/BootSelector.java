package org.diskless.dhcp.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 * Chooses the first file a booting client loads. In this order:
 * <ol>
 * <li>the node's own choice: its boot file role {@code ipxe} when the client is iPXE, else its
 * role {@code loader};</li>
 * <li>the BootLoader services that serve the client's architecture, highest
 * {@code service.ranking} first (then the oldest), the first that names a file;</li>
 * <li>the server's configuration: {@code bootFile.ipxe} for an iPXE client, else the file for
 * the architecture.</li>
 * </ol>
 * A client that announces no architecture (no option 93, none in option 60, none in the inventory)
 * is a BIOS PXE ROM older than RFC 4578: it is chosen for, and loaders are asked about it, as BIOS,
 * as option 43 treats it. An iPXE client (user class {@code iPXE}) is never handed an iPXE binary
 * again: that is the chainload loop, which ends only when the operator notices the node rebooting
 * forever.
 */
final class BootSelector {

    private static final Logger LOG = LoggerFactory.getLogger(BootSelector.class);
    private static final LogThrottle LOADER_FAILURES = new LogThrottle(Duration.ofMinutes(1));

    static final String IPXE_USER_CLASS = "iPXE";

    /** Names iPXE builds go by: undionly.kpxe, ipxe.efi, snponly.efi, ipxe.lkrn, … */
    private static final Pattern IPXE_BINARY = Pattern.compile(
            "(?i)(.*/)?(undionly|ipxe|snponly|snp)[^/]*\\.(kpxe|kkpxe|kkkpxe|pxe|efi|lkrn|usb)");

    static final Comparator<RankedLoader> ORDER = Comparator.comparingInt(RankedLoader::ranking).reversed()
            .thenComparingLong(RankedLoader::serviceId);

    private BootSelector() {
    }

    /** What the client gets as its boot file: a path under the boot root or, for HTTP boot, a URL. */
    static Optional<String> choose(BootContext context, List<RankedLoader> loaders, DhcpSettings settings) {
        boolean ipxe = context.userClass().filter(IPXE_USER_CLASS::equals).isPresent();
        Optional<Node> node = context.node();
        Optional<String> own = node.flatMap(n -> Optional.ofNullable(
                n.bootFiles().get(ipxe ? BootRole.IPXE : BootRole.LOADER)));
        if (own.isPresent()) {
            return own.filter(file -> !(ipxe && loops(file, context)));
        }
        ClientArchitecture architecture = context.architecture().orElse(ClientArchitecture.BIOS);
        BootContext asked = context.withArchitecture(architecture);
        for (RankedLoader loader : loaders.stream().sorted(ORDER).toList()) {
            if (!loader.serves(architecture)) {
                continue;
            }
            Optional<String> file;
            try {
                file = loader.loader().bootFile(asked);
            } catch (RuntimeException e) {
                // Per request: a broken loader and a boot storm would otherwise write a stack trace a packet.
                String name = Printable.of(loader.loader().name(), 64);
                LOADER_FAILURES.warn(LOG, name, "Boot loader '{}' failed to choose a file for {}; asking the next one",
                        name, context.hardwareAddress().map(Object::toString).orElse("a client"), e);
                continue;
            }
            if (file.isPresent() && !(ipxe && loops(file.get(), context))) {
                return file;
            }
        }
        if (ipxe && settings.ipxeBootFile().isPresent()) {
            return settings.ipxeBootFile();
        }
        return Optional.ofNullable(settings.bootFiles().get(architecture.code()))
                .filter(file -> !(ipxe && loops(file, context)));
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

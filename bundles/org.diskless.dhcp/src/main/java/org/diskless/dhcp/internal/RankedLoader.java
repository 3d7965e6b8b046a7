package org.diskless.dhcp.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.boot.BootLoader;
import org.diskless.support.config.Config;
import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BootLoader service with what its registration says: its rank, and the option 93 codes it is
 * asked about.
 *
 * @param architectures the codes of {@link BootLoader#ARCHITECTURES}; empty when the registration
 *                      names none, and then the loader is asked about every architecture
 */
record RankedLoader(BootLoader loader, int ranking, long serviceId, Optional<Set<Integer>> architectures) {

    private static final Logger LOG = LoggerFactory.getLogger(RankedLoader.class);

    RankedLoader {
        architectures = architectures.map(Set::copyOf);
    }

    /**
     * Reads a registration as it is bound or changes, and says in the log how the loader will be
     * asked, so that a loader is never left out, or asked about everything, without a word.
     */
    static RankedLoader of(BootLoader loader, Map<String, ?> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        RankedLoader ranked = new RankedLoader(loader, Config.ranking(properties), id instanceof Long l ? l : 0L,
                architectures(loader, Config.of(properties).list(BootLoader.ARCHITECTURES)));
        LOG.info("Boot loader {}", ranked.describe());
        return ranked;
    }

    /** Whether this loader serves {@code architecture}; x64 UEFI counts as one whether sent as 7 or 9. */
    boolean serves(ClientArchitecture architecture) {
        int code = architecture.canonical().code();
        return architectures.map(codes -> codes.stream().anyMatch(c -> ClientArchitecture.of(c).canonical().code() == code))
                .orElse(true);
    }

    /** One line for the operator: name, rank and the architectures it is asked about. */
    String describe() {
        return "'" + loader.name() + "' (service " + serviceId + ", ranking " + ranking + "): asked about "
                + architectures.map(codes -> codes.isEmpty() ? "no architecture"
                        : "architecture" + (codes.size() > 1 ? "s " : " ") + new TreeSet<>(codes))
                .orElse("every architecture (it names none in " + BootLoader.ARCHITECTURES + ")");
    }

    /**
     * The codes, however DS or a {@code .cfg} hand them over (a number, an array, text such as
     * {@code "0, 7"}). A value that cannot be read leaves the loader asked about nothing, rather
     * than about architectures its author did not mean.
     */
    private static Optional<Set<Integer>> architectures(BootLoader loader, List<String> entries) {
        Set<Integer> codes = new TreeSet<>();
        for (String entry : entries) {
            int code;
            try {
                code = Integer.parseInt(entry);
            } catch (NumberFormatException e) {
                code = -1;
            }
            if (code < 0 || code > 0xFFFF) {
                LOG.warn("Boot loader '{}' is not asked about any client: {} = '{}' holds '{}', which is no"
                        + " option 93 code (0-65535, e.g. 0 for BIOS, 7 for x64 UEFI)", loader.name(),
                        BootLoader.ARCHITECTURES, String.join(", ", entries), entry);
                return Optional.of(Set.of());
            }
            codes.add(code);
        }
        return codes.isEmpty() ? Optional.empty() : Optional.of(codes);
    }
}

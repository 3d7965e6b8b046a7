package org.diskless.files.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.nodes.Node;

/**
 * The per-node config lookup of pxelinux (and GRUB, which copied it): a client asks for its config
 * under a list of names, most specific first, and takes the first that exists:
 * UUID, {@code 01-<mac>}, its IPv4 address in upper-case hex shortened one digit at a time, then
 * the fallback ({@code default} for pxelinux, {@code grub.cfg} for GRUB).
 *
 * <p>The server applies the same rule, and only from the requested name onwards: a request for a
 * name of this client's chain is answered with the first name <em>at or after it</em> that exists.
 * A real pxelinux asks a name only after every earlier one failed, so it ends up with exactly the
 * file it would have found by itself — just sooner when a name it asks first is missing, and even
 * when the file exists only as a per-node file generated under another name of the chain. Because
 * the chain never goes backwards, a request for {@code default} gets {@code default}, never a
 * per-node file: a per-node menu can offer "back to the main menu" with
 * {@code CONFIG pxelinux.cfg/default} without looping into itself. A name that is not in this
 * client's chain (an {@code INCLUDE}d menu, another node's file) is served as it is or not at all,
 * so a missing include never turns into a recursion.
 */
final class ConfigLookupChain {

    /** A family of config names: where they live and how a chain name becomes a file name. */
    enum Family {
        /** pxelinux, lpxelinux, syslinux.efi: {@code [prefix/]pxelinux.cfg/<name>}. */
        PXELINUX("pxelinux.cfg/", "default"),
        /** GRUB 2 network boot: {@code [prefix/]grub.cfg-<name>}, falling back to {@code grub.cfg}. */
        GRUB("grub.cfg-", null);

        private final String marker;
        private final String fallback;

        Family(String marker, String fallback) {
            this.marker = marker;
            this.fallback = fallback;
        }
    }

    private final String requested;
    private final List<String> candidates;

    private ConfigLookupChain(String requested, List<String> candidates) {
        this.requested = requested;
        this.candidates = List.copyOf(candidates);
    }

    /**
     * The chain for a request, if the normalised path names one of this client's config names;
     * empty for every other path.
     */
    static Optional<ConfigLookupChain> forRequest(String normalized, BootContext context) {
        Optional<UUID> uuid = context.node().flatMap(Node::uuid);
        Optional<HardwareAddress> mac = context.hardwareAddress().or(() -> context.node().map(Node::hardwareAddress));
        Optional<Inet4Address> address = ipv4(context.client().getAddress())
                .or(() -> context.node().flatMap(Node::address).flatMap(ConfigLookupChain::ipv4));
        List<String> names = names(uuid, mac, address);
        for (Family family : Family.values()) {
            Optional<ConfigLookupChain> chain = forFamily(family, normalized, names);
            if (chain.isPresent()) {
                return chain;
            }
        }
        return Optional.empty();
    }

    /**
     * A client's config names, most specific first, without the fallback: its UUID, {@code 01-<mac>}
     * (ARP type and lower-case hex, dash separated) and its IPv4 address in upper-case hex with
     * one digit less each step, as pxelinux asks them.
     */
    static List<String> names(Optional<UUID> uuid, Optional<HardwareAddress> mac, Optional<Inet4Address> address) {
        List<String> names = new ArrayList<>();
        uuid.ifPresent(u -> names.add(u.toString().toLowerCase(Locale.ROOT)));
        mac.ifPresent(m -> names.add(m.toPxelinuxName()));
        address.ifPresent(a -> {
            String hex = HexFormat.of().withUpperCase().formatHex(a.getAddress());
            for (int length = hex.length(); length > 0; length--) {
                names.add(hex.substring(0, length));
            }
        });
        return names;
    }

    private static Optional<ConfigLookupChain> forFamily(Family family, String normalized, List<String> names) {
        int slash = normalized.lastIndexOf('/');
        String directory = slash < 0 ? "" : normalized.substring(0, slash + 1);
        String fileName = normalized.substring(slash + 1);
        String prefix;
        String name;
        if (family == Family.PXELINUX) {
            if (!(directory.equals(family.marker) || directory.endsWith("/" + family.marker))) {
                return Optional.empty();
            }
            prefix = directory;
            name = fileName;
        } else {
            if (!fileName.startsWith(family.marker)) {
                return Optional.empty();
            }
            prefix = directory + family.marker;
            name = fileName.substring(family.marker.length());
        }
        List<String> chain = new ArrayList<>();
        for (String candidate : names) {
            chain.add(prefix + candidate);
        }
        chain.add(family.fallback != null ? prefix + family.fallback : directory + "grub.cfg");
        for (int i = 0; i < chain.size() - 1; i++) {
            // A UUID may arrive in either case; every other chain name has exactly one spelling.
            boolean uuidEntry = i == 0 && isUuid(names.get(0));
            String expected = chain.get(i);
            if (uuidEntry ? expected.equalsIgnoreCase(prefix + name) : expected.equals(prefix + name)) {
                List<String> candidates = new ArrayList<>();
                candidates.add(normalized); // as asked: the tree may spell it that way
                candidates.addAll(chain.subList(i + 1, chain.size()));
                return Optional.of(new ConfigLookupChain(normalized, candidates));
            }
        }
        // The fallback itself, or a name of some other client: nothing comes after it.
        return Optional.empty();
    }

    private static boolean isUuid(String name) {
        return name.length() == 36 && name.charAt(8) == '-' && name.charAt(13) == '-';
    }

    private static Optional<Inet4Address> ipv4(InetAddress address) {
        return address instanceof Inet4Address v4 && !v4.isAnyLocalAddress() ? Optional.of(v4) : Optional.empty();
    }

    /** The path the client asked for. */
    String requested() {
        return requested;
    }

    /** The names to try, in order: the requested one first, then the ones after it in the chain. */
    List<String> candidates() {
        return candidates;
    }

    @Override
    public String toString() {
        return String.join(" -> ", candidates);
    }
}

package org.diskless.nfsroot.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.network.BootNetwork;

/**
 * Who one client entry of an exports line names (exports(5), "Machine Name Formats"), and whether
 * it names a node. Only what needs no lookup is decided here: an IPv4 address or network, and
 * {@code *}. A host name, a wildcard pattern (matched against host names), a netgroup, or an
 * address in a form other than plain dotted decimal would need DNS, NIS or the C library's own
 * reading, so they answer {@link Match#UNKNOWN} rather than a guess.
 */
record ClientSpec(String text, Kind kind, Optional<Inet4Address> address, int mask) {

    /** exports(5) ranks the kinds: a client matching several takes the first kind in this order. */
    enum Kind {
        /** A host name or address. */
        HOST,
        /** An address/netmask or address/length. */
        NETWORK,
        /** A host-name pattern with {@code *}, {@code ?} or {@code [...]}. */
        WILDCARD,
        /** {@code @group}. */
        NETGROUP,
        /** {@code *} alone, or no client at all. */
        ANONYMOUS,
        /** What exportfs skips with a warning (a network with a bad prefix): it exports nothing. */
        INVALID
    }

    enum Match { YES, NO, UNKNOWN }

    private static final Pattern DOTTED_DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern WILDCARD_CHARS = Pattern.compile("[*?\\[\\]]");

    static ClientSpec of(String text) {
        if (text.isEmpty() || text.equals("*")) {
            return new ClientSpec(text, Kind.ANONYMOUS, Optional.empty(), 0);
        }
        if (text.startsWith("@")) {
            return new ClientSpec(text, Kind.NETGROUP, Optional.empty(), 0);
        }
        if (WILDCARD_CHARS.matcher(text).find()) {
            return new ClientSpec(text, Kind.WILDCARD, Optional.empty(), 0);
        }
        int slash = text.indexOf('/');
        if (slash > 0 && !text.startsWith("gss/")) {
            return network(text, text.substring(0, slash), text.substring(slash + 1));
        }
        return new ClientSpec(text, Kind.HOST, ipv4(text), -1);
    }

    private static ClientSpec network(String text, String base, String maskText) {
        Optional<Inet4Address> address = ipv4(base);
        if (address.isEmpty()) {
            // An IPv6 network never holds an IPv4 node; any other base is not read here.
            return new ClientSpec(text, Kind.NETWORK, Optional.empty(), 0);
        }
        if (maskText.matches("[0-9]{1,2}")) {
            int length = Integer.parseInt(maskText);
            if (length > 32) {
                return new ClientSpec(text, Kind.INVALID, Optional.empty(), 0);
            }
            return new ClientSpec(text, Kind.NETWORK, address, length == 0 ? 0 : -1 << (32 - length));
        }
        Optional<Inet4Address> dotted = ipv4(maskText);
        if (dotted.isEmpty()) {
            return new ClientSpec(text, Kind.INVALID, Optional.empty(), 0);
        }
        return new ClientSpec(text, Kind.NETWORK, address, bits(dotted.get()));
    }

    /** Whether this entry names the node at {@code node}. */
    Match matches(Inet4Address node) {
        return switch (kind) {
            case ANONYMOUS -> Match.YES;
            case INVALID -> Match.NO;
            case WILDCARD, NETGROUP -> Match.UNKNOWN;
            case HOST -> address.map(a -> a.equals(node) ? Match.YES : Match.NO).orElse(readable());
            case NETWORK -> address.map(a -> (bits(a) & mask) == (bits(node) & mask) ? Match.YES : Match.NO)
                    .orElse(readable());
        };
    }

    /** Whether this entry names every address of {@code subnet} (a node without a fixed address may have any). */
    Match covers(BootNetwork subnet) {
        int subnetMask = subnet.prefixLength() == 0 ? 0 : -1 << (32 - subnet.prefixLength());
        return switch (kind) {
            case ANONYMOUS -> Match.YES;
            case INVALID -> Match.NO;
            case WILDCARD, NETGROUP -> Match.UNKNOWN;
            case HOST -> address.isPresent() ? Match.NO : readable();
            case NETWORK -> address.map(a -> (mask & ~subnetMask) == 0
                    && (bits(a) & mask) == (bits(subnet.network()) & mask) ? Match.YES : Match.NO).orElse(readable());
        };
    }

    /**
     * Whether this entry surely lets hosts other than {@code node} in: anyone, a network wider than
     * the node, another address, a pattern or a netgroup. A host name may be the node itself: not
     * counted.
     */
    boolean admitsOthersThan(Inet4Address node) {
        return switch (kind) {
            case ANONYMOUS, WILDCARD, NETGROUP -> true;
            case INVALID -> false;
            case HOST -> address.isPresent() && !address.get().equals(node);
            case NETWORK -> !(mask == -1 && address.filter(node::equals).isPresent()) && address.isPresent();
        };
    }

    /**
     * A name without an IPv4 address in it: an IPv6 address holds no IPv4 node; a host name, or a
     * number the C library reads its own way ({@code 192.0.2.010} is octal there), is not decided.
     */
    private Match readable() {
        String base = text.contains("/") ? text.substring(0, text.indexOf('/')) : text;
        return base.contains(":") && !text.startsWith("gss/") ? Match.NO : Match.UNKNOWN;
    }

    /** Why a {@link Match#UNKNOWN} is not decided, for the line that says so. */
    String whyUnknown() {
        return switch (kind) {
            case WILDCARD -> "a host-name pattern, matched against names from DNS";
            case NETGROUP -> "a netgroup, looked up in NIS or /etc/netgroup";
            default -> text.startsWith("gss/") ? "a Kerberos pseudo-client"
                    : text.matches("[0-9a-fA-FxX./]+") ? "an address in a form other than dotted decimal"
                    : "a host name, resolved through DNS or /etc/hosts";
        };
    }

    /** Plain dotted decimal only, read without any lookup. */
    static Optional<Inet4Address> ipv4(String text) {
        if (!DOTTED_DECIMAL.matcher(text).matches()) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are an IPv4 address", e);
        }
    }

    private static int bits(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "(every host)" : text;
    }
}

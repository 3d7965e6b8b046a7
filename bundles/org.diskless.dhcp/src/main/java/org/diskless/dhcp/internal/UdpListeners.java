package org.diskless.dhcp.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The UDP sockets bound on this host (in this network namespace), as Linux lists them in
 * {@code /proc/net/udp} and {@code /proc/net/udp6}. With {@code SO_REUSEADDR}, which a ProxyDHCP
 * needs to share port 67 with the network's DHCP server, a bind beside another server's socket
 * succeeds and the two split the requests between them without a word; this is how the server
 * sees that before it binds.
 */
final class UdpListeners {

    /** One bound socket: its local address and port, owner and inode (which identifies the socket). */
    record Listener(InetAddress address, int port, int uid, long inode) {

        /** Whether it receives some of what a socket bound to {@code other}:{@code port} would. */
        boolean overlaps(Inet4Address other) {
            if (address.isAnyLocalAddress() || other.isAnyLocalAddress()) {
                // A wildcard IPv6 socket is dual-stack unless IPV6_V6ONLY, which /proc does not show.
                return true;
            }
            return address.equals(other);
        }

        @Override
        public String toString() {
            return (address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
                    + ":" + port + " (uid " + uid + ", socket inode " + inode + ")";
        }
    }

    private static final Path UDP = Path.of("/proc/net/udp");
    private static final Path UDP6 = Path.of("/proc/net/udp6");

    private UdpListeners() {
    }

    /**
     * The sockets other than {@code own} (inodes) that would share {@code address}:{@code port}
     * with a new socket. Empty where {@code /proc/net} cannot be read (not Linux).
     */
    static List<Listener> sharing(Inet4Address address, int port, Set<Long> own) {
        List<Listener> found = new ArrayList<>();
        for (Path table : List.of(UDP, UDP6)) {
            String text;
            try {
                text = Files.readString(table);
            } catch (IOException | SecurityException e) {
                continue;
            }
            for (Listener listener : parse(text)) {
                if (listener.port() == port && !own.contains(listener.inode()) && listener.overlaps(address)) {
                    found.add(listener);
                }
            }
        }
        return found;
    }

    /** The inode of this process's socket with file descriptor {@code fd}, where Linux tells it. */
    static Optional<Long> inodeOf(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return Optional.of(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
            }
        } catch (IOException | SecurityException | UnsupportedOperationException | NumberFormatException e) {
            // Not Linux, or no /proc: nothing to tell.
        }
        return Optional.empty();
    }

    /**
     * The sockets of one {@code /proc/net/udp} or {@code udp6} table. An IPv6 socket that cannot
     * receive IPv4 (a real IPv6 address) is left out: DHCPv4 never reaches it.
     */
    static List<Listener> parse(String table) {
        List<Listener> listeners = new ArrayList<>();
        for (String line : table.lines().skip(1).toList()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10) {
                continue;
            }
            int colon = fields[1].indexOf(':');
            if (colon < 0) {
                continue;
            }
            try {
                Optional<InetAddress> address = address(fields[1].substring(0, colon));
                if (address.isEmpty()) {
                    continue;
                }
                int port = Integer.parseInt(fields[1].substring(colon + 1), 16);
                listeners.add(new Listener(address.get(), port, Integer.parseInt(fields[7]), Long.parseLong(fields[9])));
            } catch (NumberFormatException e) {
                // A line of a format we do not know: not ours to judge.
            }
        }
        return listeners;
    }

    /**
     * The kernel prints addresses as 32-bit words in host order (little-endian here); an IPv6
     * socket is reported as the IPv4 address it can receive: the wildcard, or its mapped address.
     */
    private static Optional<InetAddress> address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            return Optional.empty();
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            if (bytes.length == 4) {
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            InetAddress v6 = InetAddress.getByAddress(bytes);
            if (v6.isAnyLocalAddress()) {
                return Optional.of(Addresses.ANY);
            }
            // Java turns an IPv4-mapped IPv6 address into the IPv4 address itself.
            return v6 instanceof Inet4Address v4 ? Optional.of(v4) : Optional.empty();
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are an address", e);
        }
    }
}

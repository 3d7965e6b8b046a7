package org.diskless.wake.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * How magic packets leave ({@code etc/org.diskless.wake.cfg}) and when a node counts as booting.
 *
 * @param udp               send UDP broadcasts
 * @param udpPorts          the ports they go to (9 "discard" and 7 "echo" are what cards and tools use)
 * @param ethernet          send raw Ethernet frames of type 0x0842 (needs diskless-link and root or CAP_NET_RAW)
 * @param interfaceName     the interface for nodes outside every known network
 * @param broadcasts        broadcast addresses chosen by the operator, by network ({@code 192.0.2.0/24}) or
 *                          interface name: they win over the one a network implies
 * @param password          the SecureOn password of every node without its own
 * @param passwords         SecureOn passwords by node name
 * @param recentBoot        a node whose last boot step is younger than this is booting, or booted lately
 * @param kernelWait        how long {@code --until kernel} waits for a batch before it goes on
 */
record WakeSettings(boolean udp, List<Integer> udpPorts, boolean ethernet, Optional<String> interfaceName,
                    Map<String, Inet4Address> broadcasts, Optional<SecureOnPassword> password,
                    Map<String, SecureOnPassword> passwords, Duration recentBoot, Duration kernelWait) {

    static final Inet4Address LIMITED_BROADCAST = ipv4(new byte[] {-1, -1, -1, -1});
    static final WakeSettings DEFAULTS = new WakeSettings(true, List.of(9, 7), true, Optional.empty(), Map.of(),
            Optional.empty(), Map.of(), Duration.ofMinutes(10), Duration.ofMinutes(5));

    private static final String PASSWORD_KEY = "secureOnPassword";

    WakeSettings {
        udpPorts = List.copyOf(udpPorts);
        broadcasts = Map.copyOf(broadcasts);
        passwords = Map.copyOf(passwords);
    }

    static WakeSettings parse(Config config) throws InvalidSettingException {
        boolean udp = config.bool("udp", DEFAULTS.udp);
        boolean ethernet = config.bool("ethernet", DEFAULTS.ethernet);
        if (!udp && !ethernet) {
            throw new InvalidSettingException("udp", "false", "with ethernet = false too, no magic packet could leave;"
                    + " turn one of them on");
        }
        List<Integer> ports = DEFAULTS.udpPorts;
        if (config.has("udpPorts")) {
            ports = new java.util.ArrayList<>();
            for (String text : config.list("udpPorts")) {
                ports.add(port(text));
            }
            if (ports.isEmpty() && udp) {
                throw new InvalidSettingException("udpPorts", "", "name at least one port (9, 7), or set udp = false");
            }
        }
        Optional<String> interfaceName = config.text("interface");
        if (interfaceName.isPresent() && !interfaceName.get().matches("[A-Za-z0-9_.:@-]{1,15}")) {
            throw new InvalidSettingException("interface", interfaceName.get(),
                    "not an interface name (1 to 15 characters, as ip link shows them)");
        }
        Map<String, Inet4Address> broadcasts = new LinkedHashMap<>();
        for (String entry : config.list("broadcasts")) {
            int equals = entry.indexOf('=');
            if (equals < 1) {
                throw new InvalidSettingException("broadcasts", entry,
                        "each entry is <network or interface>=<broadcast address>, e.g. 192.0.2.0/24=192.0.2.255");
            }
            String where = entry.substring(0, equals).trim();
            if (where.contains("/")) {
                where = cidr(where);
            }
            broadcasts.put(where, literalIpv4("broadcasts", entry.substring(equals + 1).trim()));
        }
        Map<String, SecureOnPassword> passwords = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : config.prefixed(PASSWORD_KEY).entrySet()) {
            passwords.put(entry.getKey(), password(PASSWORD_KEY + "." + entry.getKey(), entry.getValue()));
        }
        Optional<SecureOnPassword> password = Optional.empty();
        if (config.text(PASSWORD_KEY).isPresent()) {
            password = Optional.of(password(PASSWORD_KEY, config.text(PASSWORD_KEY).get()));
        }
        return new WakeSettings(udp, ports, ethernet, interfaceName, broadcasts, password, passwords,
                config.seconds("recentBoot", DEFAULTS.recentBoot, 0, 7 * 24 * 3600),
                config.seconds("kernelWait", DEFAULTS.kernelWait, 1, 24 * 3600));
    }

    /** The node's own SecureOn password, else the global one. */
    Optional<SecureOnPassword> passwordOf(String nodeName) {
        return Optional.ofNullable(passwords.get(nodeName)).or(() -> password);
    }

    /** Refused without the value: the key names a password, which InvalidSettingException never repeats. */
    private static SecureOnPassword password(String key, String text) throws InvalidSettingException {
        try {
            return SecureOnPassword.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(key, text, e.getMessage());
        }
    }

    private static int port(String text) throws InvalidSettingException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidSettingException("udpPorts", text, "a UDP port is a number from 1 to 65535");
    }

    /** {@code 192.0.2.7/24} as its network, {@code 192.0.2.0/24}, so that lookups compare one spelling. */
    private static String cidr(String text) throws InvalidSettingException {
        String[] parts = text.split("/", 2);
        Inet4Address address = literalIpv4("broadcasts", parts[0].trim());
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > 32) {
            throw new InvalidSettingException("broadcasts", text, "a network is written a.b.c.d/prefix, prefix 0-32");
        }
        return network(address, prefix);
    }

    /** The network holding {@code address} at {@code prefix} bits, as {@code a.b.c.d/prefix}. */
    static String network(Inet4Address address, int prefix) {
        int value = toInt(address) & (prefix == 0 ? 0 : -1 << (32 - prefix));
        return fromInt(value).getHostAddress() + "/" + prefix;
    }

    private static Inet4Address literalIpv4(String key, String text) throws InvalidSettingException {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new InvalidSettingException(key, text, "not an IPv4 address a.b.c.d");
        }
        byte[] bytes = new byte[4];
        String[] parts = text.split("\\.");
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                throw new InvalidSettingException(key, text, "not an IPv4 address a.b.c.d");
            }
            bytes[i] = (byte) value;
        }
        return ipv4(bytes);
    }

    static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static Inet4Address fromInt(int value) {
        return ipv4(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are an IPv4 address", e);
        }
    }
}

package org.diskless.nodes.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * Turns the properties of one node configuration into a {@link Node}, and back, reading them
 * through the shared {@link Config} (strings, numbers or arrays, as plain or typed .cfg files and
 * the metatype console hand them over).
 * Nothing here resolves names over DNS: an address must be an IPv4 literal.
 */
public final class NodeRecordParser {

    /** RFC 1123 host name: dot-separated labels of letters, digits and inner dashes. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.]+");
    /** What {@link Config#integer} answers for a node without an architecture: none of the codes. */
    private static final int NO_ARCHITECTURE = -1;

    private NodeRecordParser() {
    }

    public static Node parse(Map<String, ?> properties) throws InvalidSettingException {
        return parse(Config.of(properties));
    }

    /** Reads the node {@code config} describes; what it did not read is then {@link Config#unreadKeys()}. */
    public static Node parse(Config config) throws InvalidSettingException {
        String name = config.requiredText(NodeConfiguration.NAME, "missing: every node needs a host name");
        checkName(name);
        HardwareAddress mac = parseMac(config.requiredText(NodeConfiguration.MAC,
                "missing: every node needs the MAC it boots from, e.g. 52:54:00:12:34:56"));
        Optional<String> uuidText = config.text(NodeConfiguration.UUID);
        Optional<UUID> uuid = uuidText.isEmpty() ? Optional.empty() : Optional.of(parseUuid(uuidText.get()));
        Optional<Inet4Address> address = config.ipv4(NodeConfiguration.ADDRESS);
        int code = config.integer(NodeConfiguration.ARCHITECTURE, NO_ARCHITECTURE, 0, 0xFFFF);
        List<String> contexts = config.list(NodeConfiguration.HARDWARE_CONTEXTS);
        for (String context : contexts) {
            if (context.contains("/") || context.chars().anyMatch(Character::isWhitespace) || !isStorable(context)) {
                throw new InvalidSettingException(NodeConfiguration.HARDWARE_CONTEXTS, context,
                        "a context name is printable ASCII without '/', spaces or '\\', e.g. HP-MC68020");
            }
        }
        Map<String, String> bootFiles = new LinkedHashMap<>();
        for (String entry : config.list(NodeConfiguration.BOOT_FILES)) {
            int eq = entry.indexOf('=');
            String role = eq < 0 ? "" : entry.substring(0, eq).trim();
            String path = eq < 0 ? "" : entry.substring(eq + 1).trim();
            if (!ROLE.matcher(role).matches() || path.isEmpty()) {
                throw new InvalidSettingException(NodeConfiguration.BOOT_FILES, entry,
                        "each entry is role=path, e.g. [ \"kernel=vmlinuz\", \"initrd=initrd.gz\" ]");
            }
            checkStorable(NodeConfiguration.BOOT_FILES, path);
            if (bootFiles.putIfAbsent(role, path) != null) {
                throw new InvalidSettingException(NodeConfiguration.BOOT_FILES, entry,
                        "role '" + role + "' is given twice");
            }
        }
        Optional<String> group = config.text(NodeConfiguration.GROUP);
        if (group.isPresent()) {
            checkStorable(NodeConfiguration.GROUP, group.get());
        }
        return Node.builder(name, mac).uuid(uuid.orElse(null)).address(address.orElse(null))
                .architecture(code == NO_ARCHITECTURE ? null : ClientArchitecture.of(code)).hardwareContexts(contexts)
                .bootFiles(bootFiles).group(group.orElse(null)).build();
    }

    /** When the configuration was first written, if it says; see {@link NodeConfiguration#CREATED}. */
    public static Optional<Instant> created(Config config) throws InvalidSettingException {
        Optional<String> text = config.text(NodeConfiguration.CREATED);
        try {
            return text.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException(NodeConfiguration.CREATED, text.get(),
                    "not an ISO-8601 instant such as 2026-12-07T10:15:30Z (the time the node was first written)");
        }
    }

    /**
     * The configuration properties that describe {@code node}, typed as FileInstall reads a typed
     * .cfg file back (a whole number as Integer, lists as String[], boot files in role order);
     * {@link #parse} reads them back.
     */
    public static Hashtable<String, Object> toProperties(Node node) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(NodeConfiguration.NAME, node.name());
        properties.put(NodeConfiguration.MAC, node.hardwareAddress().toString());
        node.uuid().ifPresent(u -> properties.put(NodeConfiguration.UUID, u.toString()));
        node.address().ifPresent(a -> properties.put(NodeConfiguration.ADDRESS, a.getHostAddress()));
        node.architecture().ifPresent(a -> properties.put(NodeConfiguration.ARCHITECTURE, a.code()));
        if (!node.hardwareContexts().isEmpty()) {
            properties.put(NodeConfiguration.HARDWARE_CONTEXTS, node.hardwareContexts().toArray(String[]::new));
        }
        if (!node.bootFiles().isEmpty()) {
            properties.put(NodeConfiguration.BOOT_FILES, node.bootFiles().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new));
        }
        node.group().ifPresent(g -> properties.put(NodeConfiguration.GROUP, g));
        return properties;
    }

    /** {@code role=path} pairs in role order, comma separated. */
    public static String bootFilesText(Map<String, String> bootFiles) {
        return String.join(",", bootFiles.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    public static void checkName(String name) throws InvalidSettingException {
        if (!HOST_NAME.matcher(name).matches()) {
            throw new InvalidSettingException(NodeConfiguration.NAME, name,
                    "not a host name (letters, digits, inner '-', labels separated by '.')");
        }
    }

    /**
     * Whether {@code text} survives a round trip through a .cfg file in etc/: printable ASCII
     * (FileInstall reads ISO-8859-1, so UTF-8 would come back garbled), without a backslash (its
     * writer drops them) or {@code ${} (it expands that as a property).
     */
    public static boolean isStorable(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '\\') && !text.contains("${");
    }

    private static void checkStorable(String key, String text) throws InvalidSettingException {
        if (!isStorable(text)) {
            throw new InvalidSettingException(key, text, "a node file in etc/ keeps printable ASCII only, without"
                    + " '\\' or '${'");
        }
    }

    public static boolean isHostName(String name) {
        return HOST_NAME.matcher(name).matches();
    }

    public static HardwareAddress parseMac(String text) throws InvalidSettingException {
        try {
            HardwareAddress mac = HardwareAddress.parse(text);
            if (mac.length() != 6) {
                throw new InvalidSettingException(NodeConfiguration.MAC, text,
                        "an Ethernet MAC has 6 bytes, this one has " + mac.length());
            }
            return mac;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(NodeConfiguration.MAC, text,
                    "not a MAC address (expected six hex pairs such as 52:54:00:12:34:56)");
        }
    }

    public static UUID parseUuid(String text) throws InvalidSettingException {
        String hex = text.replace("-", "").replace("{", "").replace("}", "");
        if (!hex.matches("[0-9A-Fa-f]{32}")) {
            throw new InvalidSettingException(NodeConfiguration.UUID, text,
                    "not a UUID (expected 32 hex digits such as 4c4c4544-0042-3510-8052-b4c04f4b4d31)");
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    /** The IPv4 address {@code text} spells, if it is a dotted quad. */
    public static Optional<InetAddress> ipv4(String text) {
        var m = IPV4.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(m.group(i + 1));
            if (octet > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) octet;
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

}

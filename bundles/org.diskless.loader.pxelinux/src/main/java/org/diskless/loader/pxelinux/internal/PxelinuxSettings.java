package org.diskless.loader.pxelinux.internal;

import java.lang.reflect.Array;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checked settings of the pxelinux loader. Built from the raw configuration so that a bad
 * value is refused with its key, rather than failing later while a node boots.
 */
record PxelinuxSettings(String bootFile, Optional<Inet4Address> serverAddress, List<Subnet> subnets,
                        String device, String append) {

    static final String DEFAULT_BOOT_FILE = "pxelinux.0";
    static final PxelinuxSettings DEFAULTS = new PxelinuxSettings(DEFAULT_BOOT_FILE, Optional.empty(), List.of(),
            "", "");

    PxelinuxSettings {
        // Most specific first, so a /26 inside a /24 gives its own gateway.
        subnets = subnets.stream().sorted(Comparator.comparingInt(Subnet::prefixLength).reversed()).toList();
    }

    static PxelinuxSettings from(Map<String, ?> properties) throws InvalidSettingException {
        String bootFile = text(properties, "bootFile", DEFAULT_BOOT_FILE);
        if (bootFile.isEmpty() || bootFile.contains("..") || hasControlOrSpace(bootFile)) {
            throw new InvalidSettingException("bootFile", bootFile,
                    "a path under the boot root without '..' or spaces, e.g. pxelinux.0 or bios/pxelinux.0");
        }
        while (bootFile.startsWith("/")) {
            bootFile = bootFile.substring(1);
        }
        String server = text(properties, "serverAddress", "");
        Optional<Inet4Address> serverAddress;
        try {
            serverAddress = server.isEmpty() ? Optional.empty()
                    : Optional.of(Subnet.ipv4(server, server, " (e.g. 192.0.2.1, or empty)"));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("serverAddress", server, e.getMessage());
        }
        List<Subnet> subnets = new ArrayList<>();
        for (String entry : list(properties.get("subnets"))) {
            try {
                subnets.add(Subnet.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("subnets", entry, e.getMessage());
            }
        }
        String device = text(properties, "device", "");
        if (device.contains(":") || hasControlOrSpace(device)) {
            throw new InvalidSettingException("device", device, "a network device name such as eth0, or empty");
        }
        String append = text(properties, "append", "");
        if (append.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidSettingException("append", append, "kernel arguments on one line");
        }
        return new PxelinuxSettings(bootFile, serverAddress, subnets, device, append);
    }

    /** The most specific configured subnet holding {@code address}. */
    Optional<Subnet> subnetOf(Inet4Address address) {
        return subnets.stream().filter(s -> s.contains(address)).findFirst();
    }

    /** Where pxelinux looks for its configs: {@code pxelinux.cfg/} beside the loader. */
    String configDirectory() {
        int slash = bootFile.lastIndexOf('/');
        return (slash < 0 ? "" : bootFile.substring(0, slash + 1)) + "pxelinux.cfg/";
    }

    private static boolean hasControlOrSpace(String text) {
        return text.chars().anyMatch(c -> c <= 0x20 || c == 0x7f);
    }

    private static String text(Map<String, ?> properties, String key, String defaultValue) {
        Object value = properties.get(key);
        return value == null ? defaultValue : value.toString().trim();
    }

    /** A String[] from metatype, a collection, or one string with comma-separated entries (a .cfg file). */
    private static List<String> list(Object value) {
        List<Object> raw = new ArrayList<>();
        if (value == null) {
            return List.of();
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                raw.add(Array.get(value, i));
            }
        } else if (value instanceof Collection<?> collection) {
            raw.addAll(collection);
        } else {
            raw.add(value);
        }
        List<String> entries = new ArrayList<>();
        for (Object item : raw) {
            for (String part : String.valueOf(item).split(",")) {
                if (!part.isBlank()) {
                    entries.add(part.trim());
                }
            }
        }
        return entries;
    }
}

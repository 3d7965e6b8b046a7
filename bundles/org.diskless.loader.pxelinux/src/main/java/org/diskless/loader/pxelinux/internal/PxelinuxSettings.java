package org.diskless.loader.pxelinux.internal;

import java.util.Map;

/**
 * The checked settings of the pxelinux loader. Built from the raw configuration so that a bad
 * value is refused with its key, rather than failing later while a node boots. The networks (the
 * server, gateway and netmask of {@code ip=}) are not among them: they come from the DHCP subnets.
 */
record PxelinuxSettings(String bootFile, String device, String append) {

    static final String DEFAULT_BOOT_FILE = "pxelinux.0";
    static final PxelinuxSettings DEFAULTS = new PxelinuxSettings(DEFAULT_BOOT_FILE, "", "");

    static PxelinuxSettings from(Map<String, ?> properties) throws InvalidSettingException {
        String bootFile = text(properties, "bootFile", DEFAULT_BOOT_FILE);
        if (bootFile.isEmpty() || bootFile.contains("..") || hasControlOrSpace(bootFile)) {
            throw new InvalidSettingException("bootFile", bootFile,
                    "a path under the boot root without '..' or spaces, e.g. pxelinux.0 or bios/pxelinux.0");
        }
        while (bootFile.startsWith("/")) {
            bootFile = bootFile.substring(1);
        }
        String device = text(properties, "device", "");
        if (device.contains(":") || hasControlOrSpace(device)) {
            throw new InvalidSettingException("device", device, "a network device name such as eth0, or empty");
        }
        String append = text(properties, "append", "");
        if (append.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidSettingException("append", append, "kernel arguments on one line");
        }
        return new PxelinuxSettings(bootFile, device, append);
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
}

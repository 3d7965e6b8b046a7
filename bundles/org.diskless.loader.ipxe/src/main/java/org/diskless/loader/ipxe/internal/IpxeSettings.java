package org.diskless.loader.ipxe.internal;

import java.util.Map;

/** The checked settings of the iPXE loader; a bad value is refused with its key. */
record IpxeSettings(String biosFile, String efiFile, String scriptDirectory, String device, String append) {

    static final String DEFAULT_BIOS_FILE = "undionly.kpxe";
    static final String DEFAULT_EFI_FILE = "ipxe.efi";
    static final String DEFAULT_SCRIPT_DIRECTORY = "ipxe";
    static final int DEFAULT_RANKING = -10;
    static final IpxeSettings DEFAULTS = new IpxeSettings(DEFAULT_BIOS_FILE, DEFAULT_EFI_FILE,
            DEFAULT_SCRIPT_DIRECTORY, "", "");

    /** A configuration value that cannot be used, with the key it came from and why. */
    static final class InvalidSettingException extends Exception {

        private static final long serialVersionUID = 1L;

        InvalidSettingException(String key, Object value, String reason) {
            super("'" + key + "' = '" + value + "': " + reason);
        }
    }

    static IpxeSettings from(Map<String, ?> properties) throws InvalidSettingException {
        String scriptDirectory = path(properties, "scriptDirectory", DEFAULT_SCRIPT_DIRECTORY);
        while (scriptDirectory.endsWith("/")) {
            scriptDirectory = scriptDirectory.substring(0, scriptDirectory.length() - 1);
        }
        String device = text(properties, "device", "");
        if (device.contains(":") || device.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new InvalidSettingException("device", device, "a network device name such as eth0, or empty");
        }
        String append = text(properties, "append", "");
        if (append.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidSettingException("append", append, "kernel arguments on one line");
        }
        return new IpxeSettings(path(properties, "biosFile", DEFAULT_BIOS_FILE),
                path(properties, "efiFile", DEFAULT_EFI_FILE), scriptDirectory, device, append);
    }

    /** Where the script of the node with this pxelinux-style MAC name lives. */
    String scriptPath(String macName) {
        return (scriptDirectory.isEmpty() ? "" : scriptDirectory + "/") + macName + ".ipxe";
    }

    private static String path(Map<String, ?> properties, String key, String defaultValue)
            throws InvalidSettingException {
        String value = text(properties, key, defaultValue);
        while (value.startsWith("/")) {
            value = value.substring(1);
        }
        if (value.isEmpty() && !key.equals("scriptDirectory") || value.contains("..")
                || value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new InvalidSettingException(key, value, "a path under the boot root without '..' or spaces");
        }
        return value;
    }

    private static String text(Map<String, ?> properties, String key, String defaultValue) {
        Object value = properties.get(key);
        return value == null ? defaultValue : value.toString().trim();
    }
}

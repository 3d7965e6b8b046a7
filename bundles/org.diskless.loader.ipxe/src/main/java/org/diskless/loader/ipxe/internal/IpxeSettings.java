package org.diskless.loader.ipxe.internal;

import org.diskless.api.boot.BootLoader;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;

/** The checked settings of the iPXE loader; a bad value is refused with its key. */
record IpxeSettings(String biosFile, String efiFile, String scriptDirectory, String device, String append) {

    static final String DEFAULT_BIOS_FILE = "undionly.kpxe";
    static final String DEFAULT_EFI_FILE = "ipxe.efi";
    static final String DEFAULT_SCRIPT_DIRECTORY = "ipxe";
    static final int DEFAULT_RANKING = -10;
    static final IpxeSettings DEFAULTS = SettingsUpdate.defaults(IpxeSettings::parse);

    static IpxeSettings parse(Config config) throws InvalidSettingException {
        String biosFile = path(config, "biosFile", DEFAULT_BIOS_FILE);
        String efiFile = path(config, "efiFile", DEFAULT_EFI_FILE);
        String scriptDirectory = path(config, "scriptDirectory", DEFAULT_SCRIPT_DIRECTORY).replaceFirst("/+$", "");
        String device = config.text("device", "");
        if (device.contains(":") || device.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new InvalidSettingException("device", device, "a network device name such as eth0, or empty");
        }
        String append = config.text("append", "");
        if (append.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidSettingException("append", append, "kernel arguments on one line");
        }
        // DS puts the service's own properties here too; the ranking is the operator's to set, and a
        // ranking that is no number would rank the loader 0.
        config.integer("service.ranking", DEFAULT_RANKING, Integer.MIN_VALUE, Integer.MAX_VALUE);
        config.known(BootLoader.ARCHITECTURES);
        return new IpxeSettings(biosFile, efiFile, scriptDirectory, device, append);
    }

    /** Where the script of the node with this pxelinux-style MAC name lives. */
    String scriptPath(String macName) {
        return (scriptDirectory.isEmpty() ? "" : scriptDirectory + "/") + macName + ".ipxe";
    }

    /** A path under the boot root, leading '/' dropped; only the script folder may be the root itself. */
    private static String path(Config config, String key, String defaultValue) throws InvalidSettingException {
        String written = config.text(key, defaultValue);
        String value = written.replaceFirst("^/+", "");
        if (value.isEmpty() && !key.equals("scriptDirectory") || value.contains("..")
                || value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new InvalidSettingException(key, written, "a path under the boot root without '..' or spaces");
        }
        return value;
    }
}

package org.diskless.loader.pxelinux.internal;

import org.diskless.api.boot.BootLoader;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.kernel.LoaderPaths;

/**
 * The checked settings of the pxelinux loader. Built from the raw configuration so that a bad
 * value is refused with its key, rather than failing later while a node boots. The networks (the
 * server, gateway and netmask of {@code ip=}) are not among them: they come from the DHCP subnets.
 */
record PxelinuxSettings(String bootFile, String device, String append) {

    static final String DEFAULT_BOOT_FILE = "pxelinux.0";
    static final PxelinuxSettings DEFAULTS = SettingsUpdate.defaults(PxelinuxSettings::parse);

    static PxelinuxSettings parse(Config config) throws InvalidSettingException {
        String written = config.text("bootFile", DEFAULT_BOOT_FILE);
        String bootFile = written.replaceFirst("^/+", "");
        if (bootFile.isEmpty() || bootFile.contains("..") || hasControlOrSpace(bootFile)) {
            throw new InvalidSettingException("bootFile", written,
                    "a path under the boot root without '..' or spaces, e.g. pxelinux.0 or bios/pxelinux.0");
        }
        String device = config.text("device", "");
        if (device.contains(":") || hasControlOrSpace(device)) {
            throw new InvalidSettingException("device", device, "a network device name such as eth0, or empty");
        }
        String append = config.text("append", "");
        if (append.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidSettingException("append", append, "kernel arguments on one line");
        }
        // DS puts the service's own properties here too; the ranking is the operator's to set, and a
        // ranking that is no number would rank the loader 0.
        config.integer("service.ranking", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        config.known(BootLoader.ARCHITECTURES);
        return new PxelinuxSettings(bootFile, device, append);
    }

    /** Where pxelinux looks for its configs: {@code pxelinux.cfg/} beside the loader. */
    String configDirectory() {
        return loaderFolder() + "pxelinux.cfg/";
    }

    /** The loader's folder under the boot root, with a trailing {@code /} (empty for the root): relative paths start there. */
    String loaderFolder() {
        return LoaderPaths.folderOf(bootFile);
    }

    private static boolean hasControlOrSpace(String text) {
        return text.chars().anyMatch(c -> c <= 0x20 || c == 0x7f);
    }
}

package org.diskless.loader.grub.internal;

import java.util.Optional;

import org.diskless.api.boot.BootLoader;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.kernel.LoaderPaths;

/**
 * The checked settings of the GRUB loader; a bad value is refused with its key.
 *
 * @param efiFile         the GRUB network image named to x64 UEFI clients without {@code shimFile}
 * @param shimFile        Secure Boot: the shim named to x64 UEFI clients instead; it loads
 *                        {@code grubx64.efi} from its own folder, where the signed GRUB goes
 * @param arm64File       the GRUB image for ARM64 UEFI clients; empty: they are not served
 * @param biosFile        the GRUB image for BIOS PXE ROMs ({@code core.0} of grub-mknetdir); empty: not served
 * @param httpFile        the GRUB image for x64 UEFI HTTP boot clients, one with GRUB's http module built
 *                        in (Debian 12's signed image has none, and could fetch nothing past itself);
 *                        empty: they are not served
 * @param configDirectory GRUB's prefix under the boot root, where it asks for {@code grub.cfg…}
 */
record GrubSettings(String efiFile, Optional<String> shimFile, Optional<String> arm64File, Optional<String> biosFile,
                    Optional<String> httpFile, String configDirectory, String device, String append) {

    static final String DEFAULT_EFI_FILE = "grub/grubnetx64.efi";
    static final String DEFAULT_CONFIG_DIRECTORY = "grub";
    /** What shim loads next, from its own folder: the name the signed GRUB must have beside it. */
    static final String SHIM_SECOND_STAGE = "grubx64.efi";
    /** Above iPXE (-10), so that installing this loader makes it serve UEFI nodes; below pxelinux (0). */
    static final int DEFAULT_RANKING = -5;
    static final GrubSettings DEFAULTS = SettingsUpdate.defaults(GrubSettings::parse);

    static GrubSettings parse(Config config) throws InvalidSettingException {
        String efiFile = path(config, "efiFile", DEFAULT_EFI_FILE).orElseThrow(
                () -> new InvalidSettingException("efiFile", "", "x64 UEFI clients need a GRUB image, e.g. "
                        + DEFAULT_EFI_FILE));
        Optional<String> shimFile = path(config, "shimFile", "");
        Optional<String> arm64File = path(config, "arm64File", "");
        Optional<String> biosFile = path(config, "biosFile", "");
        Optional<String> httpFile = path(config, "httpFile", "");
        String configDirectory = path(config, "configDirectory", DEFAULT_CONFIG_DIRECTORY).orElse("")
                .replaceFirst("/+$", "");
        String device = config.text("device", "");
        if (device.contains(":") || device.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new InvalidSettingException("device", device, "a network device name such as eth0, or empty");
        }
        String append = config.text("append", "");
        if (append.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || append.contains("'")) {
            throw new InvalidSettingException("append", append, "kernel arguments on one line, without a single"
                    + " quote (GRUB's quoting)");
        }
        // DS puts the service's own properties here too; a ranking that is no number would rank the loader 0.
        config.integer("service.ranking", DEFAULT_RANKING, Integer.MIN_VALUE, Integer.MAX_VALUE);
        config.known(BootLoader.ARCHITECTURES);
        return new GrubSettings(efiFile, shimFile, arm64File, biosFile, httpFile, configDirectory, device, append);
    }

    /** The file x64 UEFI clients are named: the shim with Secure Boot, else GRUB itself. */
    String x64File() {
        return shimFile.orElse(efiFile);
    }

    /** Where shim looks for the GRUB it starts, when Secure Boot is set up. */
    Optional<String> shimSecondStage() {
        return shimFile.map(shim -> LoaderPaths.folderOf(shim) + SHIM_SECOND_STAGE);
    }

    /** The prefix of a config name under the boot root: {@code grub/grub.cfg}. */
    String configPath(String name) {
        return (configDirectory.isEmpty() ? "" : configDirectory + "/") + name;
    }

    /** A path under the boot root, leading '/' dropped; empty when written empty. */
    private static Optional<String> path(Config config, String key, String defaultValue)
            throws InvalidSettingException {
        String written = config.text(key, defaultValue).trim();
        String value = written.replaceFirst("^/+", "");
        if (value.contains("..") || value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new InvalidSettingException(key, written, "a path under the boot root without '..' or spaces");
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}

package org.diskless.loader.grub.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootLoader;
import org.diskless.api.files.BootFileProvider;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.network.BootNetworks;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.kernel.LoaderPaths;
import org.diskless.support.kernel.NodeNetwork;
import org.diskless.support.kernel.RamDiskImage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GRUB as a plug-in, written against the API only: the GRUB network image DHCP names to a UEFI
 * client (shim first, with Secure Boot), and BIOS, ARM64 or UEFI HTTP boot clients where the
 * operator set an image for them (DHCP makes the HTTP one a URL on the HTTP boot server); and the configs GRUB then reads, generated:
 * <ul>
 * <li>{@code <configDirectory>/grub.cfg-01-<mac>}, the node's own, under the one name of GRUB's
 *     lookup (UUID, {@code 01-<mac>}, hex address shortened, {@code grub.cfg}) that the boot file
 *     resolver answers GRUB's earlier names with;</li>
 * <li>{@code <configDirectory>/grub.cfg}, which sends every machine to its own, for GRUB images
 *     that read only that one.</li>
 * </ul>
 * Only nodes with a {@code kernel} boot file are served; for any other client this loader declines
 * and the next one answers.
 */
@Component(configurationPid = "org.diskless.loader.grub",
        service = {BootLoader.class, BootFileProvider.class},
        property = {BootLoader.ARCHITECTURES + ":Integer=0", BootLoader.ARCHITECTURES + ":Integer=7",
                BootLoader.ARCHITECTURES + ":Integer=9", BootLoader.ARCHITECTURES + ":Integer=11",
                BootLoader.ARCHITECTURES + ":Integer=16",
                "service.ranking:Integer=" + GrubSettings.DEFAULT_RANKING})
@Designate(ocd = GrubConfig.class)
public final class GrubLoader implements BootLoader, BootFileProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GrubLoader.class);
    /** A node whose files cannot be generated is named once a minute, however often it asks. */
    private final LogThrottle badNodes = new LogThrottle(Duration.ofMinutes(1));
    private static final String CONFIG_FILE = "etc/org.diskless.loader.grub.cfg";
    private static final String CONFIG = "grub.cfg";
    private static final Pattern MAC_NAME = Pattern.compile("01(-[0-9a-f]{2}){6}");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootNetworks bootNetworks;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootFileResolver bootFiles;

    private volatile GrubSettings settings = GrubSettings.DEFAULTS;

    @Activate
    public GrubLoader(Map<String, Object> properties) {
        apply(properties);
    }

    /** For tests: a loader with given settings, inventory, networks and boot files (each may be null), without OSGi. */
    GrubLoader(GrubSettings settings, NodeDirectory nodeDirectory, BootNetworks bootNetworks,
               BootFileResolver bootFiles) {
        this.settings = settings;
        this.nodeDirectory = nodeDirectory;
        this.bootNetworks = bootNetworks;
        this.bootFiles = bootFiles;
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private void apply(Map<String, Object> properties) {
        SettingsUpdate.apply(CONFIG_FILE, properties, GrubSettings::parse, LOG,
                "the settings in force keep serving").ifPresent(next -> {
                    settings = next;
                    SettingsUpdate.updated(LOG, CONFIG_FILE, "GRUB loader: " + next.x64File() + " for x64 UEFI"
                            + next.shimSecondStage().map(grub -> " (Secure Boot: shim loads " + grub
                                    + ", the signed GRUB network image)").orElse("")
                            + next.arm64File().map(file -> ", " + file + " for ARM64 UEFI").orElse("")
                            + next.biosFile().map(file -> ", " + file + " for BIOS").orElse("")
                            + next.httpFile().map(file -> ", " + file + " for x64 UEFI HTTP boot").orElse("")
                            + ", configs in " + next.configPath(""));
                });
    }

    @Override
    public String name() {
        return "grub";
    }

    @Override
    public Optional<String> bootFile(BootContext context) {
        if (context.node().filter(GrubMenu::hasKernel).isEmpty()) {
            return Optional.empty();
        }
        GrubSettings current = settings;
        // DHCP asks about a client that announces no architecture as BIOS.
        ClientArchitecture architecture = context.architecture().map(ClientArchitecture::canonical).orElse(null);
        if (ClientArchitecture.EFI_X64.equals(architecture)) {
            return Optional.of(current.x64File());
        }
        if (ClientArchitecture.EFI_ARM64.equals(architecture)) {
            return current.arm64File();
        }
        if (ClientArchitecture.BIOS.equals(architecture)) {
            return current.biosFile();
        }
        if (ClientArchitecture.HTTP_X64.equals(architecture)) {
            return current.httpFile();
        }
        return Optional.empty();
    }

    @Override
    public Optional<byte[]> generate(String path, BootContext context) {
        GrubSettings current = settings;
        String prefix = current.configPath(CONFIG);
        if (path.equals(prefix)) {
            return Optional.of(GrubMenu.dispatcher().getBytes(US_ASCII));
        }
        if (!path.startsWith(prefix + "-") || !MAC_NAME.matcher(path.substring(prefix.length() + 1)).matches()) {
            return Optional.empty();
        }
        String macName = path.substring(prefix.length() + 1);
        Optional<Node> node = context.node().filter(n -> n.hardwareAddress().toPxelinuxName().equals(macName))
                .or(() -> Optional.ofNullable(nodeDirectory)
                        .flatMap(directory -> directory.byHardwareAddress(HardwareAddress.parse(macName))));
        if (node.isEmpty()) {
            return Optional.empty();
        }
        try {
            return GrubMenu.forNode(node.get(), NodeNetwork.values(context, node.get(), bootNetworks, LOG, "GRUB config"),
                    current, RamDiskImage.sizes(bootFiles, context.withNode(node.get()), LoaderPaths.FROM_ROOT))
                    .map(text -> text.getBytes(US_ASCII));
        } catch (IllegalArgumentException e) {
            badNodes.warn(LOG, node.get().name(), "No GRUB config for node {}: {} (fix its bootFiles)", node.get().name(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}

package org.diskless.loader.ipxe.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootLoader;
import org.diskless.api.boot.HttpBootEndpoint;
import org.diskless.api.files.BootFileProvider;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.kernel.LoaderPaths;
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
 * iPXE as a plug-in, both stages of it, written against the API only:
 * <ol>
 * <li>a PXE ROM (no user class {@code iPXE}) is told to load iPXE itself — {@code undionly.kpxe} on
 *     BIOS, {@code ipxe.efi} on x64 UEFI;</li>
 * <li>iPXE then asks DHCP again, now with user class {@code iPXE}, and is told its node's script
 *     {@code ipxe/01-<mac>.ipxe}, which this bundle generates.</li>
 * </ol>
 * A client that says it is iPXE is never named iPXE again, which is what breaks the chainload
 * loop. Only nodes that have a {@code kernel} boot file are served: for any other client this loader
 * declines both stages (empty), so the next loader (pxelinux) serves it and no client is
 * chainloaded into iPXE only to find no script.
 */
@Component(configurationPid = "org.diskless.loader.ipxe",
        service = {BootLoader.class, BootFileProvider.class},
        property = {BootLoader.ARCHITECTURES + ":Integer=0", BootLoader.ARCHITECTURES + ":Integer=7",
                BootLoader.ARCHITECTURES + ":Integer=9",
                "service.ranking:Integer=" + IpxeSettings.DEFAULT_RANKING})
@Designate(ocd = IpxeConfig.class)
public final class IpxeLoader implements BootLoader, BootFileProvider {

    /** What iPXE sends in DHCP option 77. */
    static final String IPXE_USER_CLASS = "iPXE";

    private static final Logger LOG = LoggerFactory.getLogger(IpxeLoader.class);
    /** A node whose files cannot be generated is named once a minute, however often it asks. */
    private final LogThrottle badNodes = new LogThrottle(Duration.ofMinutes(1));
    private static final String CONFIG_FILE = "etc/org.diskless.loader.ipxe.cfg";
    private static final Pattern MAC_NAME = Pattern.compile("01(-[0-9a-f]{2}){6}");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootFileResolver bootFiles;

    /** While an HTTP boot server runs, kernels and RAM disks come from it; else by TFTP. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HttpBootEndpoint httpBoot;

    private volatile IpxeSettings settings = IpxeSettings.DEFAULTS;

    @Activate
    public IpxeLoader(Map<String, Object> properties) {
        apply(properties);
    }

    /** For tests: a loader with given settings and inventory, without OSGi. */
    IpxeLoader(IpxeSettings settings, NodeDirectory nodeDirectory) {
        this(settings, nodeDirectory, null);
    }

    /** For tests: as above, with the boot files its RAM-disk images are measured in (may be null). */
    IpxeLoader(IpxeSettings settings, NodeDirectory nodeDirectory, BootFileResolver bootFiles) {
        this.settings = settings;
        this.nodeDirectory = nodeDirectory;
        this.bootFiles = bootFiles;
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private void apply(Map<String, Object> properties) {
        SettingsUpdate.apply(CONFIG_FILE, properties, IpxeSettings::parse, LOG,
                "the settings in force keep serving").ifPresent(next -> {
                    settings = next;
                    SettingsUpdate.updated(LOG, CONFIG_FILE, "iPXE loader: " + next.biosFile() + " for BIOS, "
                            + next.efiFile() + " for x64 UEFI, scripts in " + next.scriptDirectory() + "/");
                });
    }

    @Override
    public String name() {
        return "ipxe";
    }

    @Override
    public Optional<String> bootFile(BootContext context) {
        Optional<Node> node = context.node().filter(IpxeScript::hasKernel);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        IpxeSettings current = settings;
        if (context.userClass().filter(IPXE_USER_CLASS::equals).isPresent()) {
            return Optional.of(current.scriptPath(node.get().hardwareAddress().toPxelinuxName()));
        }
        // DHCP asks about a client that announces no architecture as BIOS.
        Optional<ClientArchitecture> architecture = context.architecture().map(ClientArchitecture::canonical);
        if (architecture.filter(ClientArchitecture.BIOS::equals).isPresent()) {
            return Optional.of(current.biosFile());
        }
        if (architecture.filter(ClientArchitecture.EFI_X64::equals).isPresent()) {
            return Optional.of(current.efiFile());
        }
        return Optional.empty();
    }

    private java.util.function.Function<String, String> fetchedFrom() {
        HttpBootEndpoint http = httpBoot;
        return http == null ? IpxeScript.OVER_TFTP : IpxeScript.overHttp(http);
    }

    /** For tests: as an HTTP boot server appears and goes. */
    void httpBoot(HttpBootEndpoint endpoint) {
        this.httpBoot = endpoint;
    }

    @Override
    public Optional<byte[]> generate(String path, BootContext context) {
        IpxeSettings current = settings;
        String prefix = current.scriptDirectory().isEmpty() ? "" : current.scriptDirectory() + "/";
        if (!path.startsWith(prefix) || !path.endsWith(".ipxe")) {
            return Optional.empty();
        }
        String macName = path.substring(prefix.length(), path.length() - ".ipxe".length());
        if (!MAC_NAME.matcher(macName).matches()) {
            return Optional.empty();
        }
        Optional<Node> node = context.node().filter(n -> n.hardwareAddress().toPxelinuxName().equals(macName))
                .or(() -> Optional.ofNullable(nodeDirectory)
                        .flatMap(directory -> directory.byHardwareAddress(HardwareAddress.parse(macName))));
        if (node.isEmpty()) {
            return Optional.empty();
        }
        try {
            return IpxeScript.write(node.get(), current, RamDiskImage.sizes(bootFiles, context.withNode(node.get()),
                    LoaderPaths.FROM_ROOT), fetchedFrom()).map(text -> text.getBytes(US_ASCII));
        } catch (IllegalArgumentException e) {
            badNodes.warn(LOG, node.get().name(), "No iPXE script for node {}: {} (fix its bootFiles)", node.get().name(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}

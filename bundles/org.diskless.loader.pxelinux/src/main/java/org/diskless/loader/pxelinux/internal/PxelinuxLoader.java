package org.diskless.loader.pxelinux.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.net.Inet4Address;
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
 * pxelinux as a plug-in: the file DHCP names for a BIOS client, and each node's
 * {@code pxelinux.cfg/01-<mac>} generated from its boot files. Uses nothing but the API, as a
 * third-party loader would.
 *
 * <p>The config is made under the MAC name only; the boot file resolver answers pxelinux's earlier
 * UUID request with it through the lookup chain. The node is the one the protocol recognised, or,
 * when it did not (a node without a fixed address asks TFTP from a leased one), the one whose MAC
 * the requested name spells. The server, gateway and netmask of its {@code ip=} come from the boot
 * network (a DHCP subnet) holding the client's address. The {@code ramdisk_size} of a RAM-disk root
 * is measured on the image the node will fetch, through the boot file resolver, for that node.
 */
@Component(configurationPid = "org.diskless.loader.pxelinux",
        service = {BootLoader.class, BootFileProvider.class},
        property = BootLoader.ARCHITECTURES + ":Integer=0")
@Designate(ocd = PxelinuxConfig.class)
public final class PxelinuxLoader implements BootLoader, BootFileProvider {

    private static final Logger LOG = LoggerFactory.getLogger(PxelinuxLoader.class);
    /** A node whose files cannot be generated is named once a minute, however often it asks. */
    private final LogThrottle badNodes = new LogThrottle(Duration.ofMinutes(1));
    private static final String CONFIG_FILE = "etc/org.diskless.loader.pxelinux.cfg";
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

    private volatile PxelinuxSettings settings = PxelinuxSettings.DEFAULTS;

    @Activate
    public PxelinuxLoader(Map<String, Object> properties) {
        apply(properties);
    }

    /** For tests: a loader with given settings, inventory and networks (each may be null), without OSGi. */
    PxelinuxLoader(PxelinuxSettings settings, NodeDirectory nodeDirectory, BootNetworks bootNetworks) {
        this(settings, nodeDirectory, bootNetworks, null);
    }

    /** For tests: as above, with the boot files its RAM-disk images are measured in (may be null). */
    PxelinuxLoader(PxelinuxSettings settings, NodeDirectory nodeDirectory, BootNetworks bootNetworks,
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
        SettingsUpdate.apply(CONFIG_FILE, properties, PxelinuxSettings::parse, LOG,
                "the settings in force keep serving").ifPresent(next -> {
                    settings = next;
                    SettingsUpdate.updated(LOG, CONFIG_FILE, "pxelinux loader: " + next.bootFile()
                            + " for BIOS clients, configs in " + next.configDirectory());
                });
    }

    @Override
    public String name() {
        return "pxelinux";
    }

    /** pxelinux runs on BIOS only (DHCP asks about a client that announces no architecture as BIOS). */
    @Override
    public Optional<String> bootFile(BootContext context) {
        return context.architecture().filter(ClientArchitecture.BIOS::equals).map(bios -> settings.bootFile());
    }

    @Override
    public Optional<byte[]> generate(String path, BootContext context) {
        PxelinuxSettings current = settings;
        String directory = current.configDirectory();
        if (!path.startsWith(directory)) {
            return Optional.empty();
        }
        String name = path.substring(directory.length());
        if (!MAC_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Optional<Node> node = nodeNamed(name, context);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<Inet4Address> address = NodeNetwork.clientAddress(context, node.get());
            return PxelinuxEntry.write(node.get(), address,
                    address.flatMap(a -> NodeNetwork.networkOf(a, node.get(), bootNetworks, LOG, "pxelinux config")),
                    current,
                    RamDiskImage.sizes(bootFiles, context.withNode(node.get()),
                            LoaderPaths.relativeTo(current.loaderFolder())))
                    .map(text -> text.getBytes(US_ASCII));
        } catch (IllegalArgumentException e) {
            badNodes.warn(LOG, node.get().name(), "No pxelinux config for node {}: {} (fix its bootFiles)", node.get().name(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Node> nodeNamed(String macName, BootContext context) {
        Optional<Node> known = context.node().filter(n -> n.hardwareAddress().toPxelinuxName().equals(macName));
        if (known.isPresent()) {
            return known;
        }
        NodeDirectory directory = nodeDirectory;
        if (directory == null) {
            return Optional.empty();
        }
        return directory.byHardwareAddress(HardwareAddress.parse(macName));
    }
}

package org.diskless.loader.pxelinux.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.BootNetworks;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.junit.jupiter.api.Test;

class PxelinuxLoaderTest {

    private static final Node NODE = Node.builder("node01", HardwareAddress.parse("52:54:00:12:34:56"))
            .address(PxelinuxEntryTest.ipv4("192.0.2.21"))
            .bootFiles(Map.of("kernel", "vmlinuz", "initrd", "initrd.gz")).build();
    private static final String CONFIG = "pxelinux.cfg/01-52-54-00-12-34-56";

    private static BootContext from(String ip) {
        return BootContext.of(BootProtocol.TFTP, new InetSocketAddress(ip, 2070));
    }

    /** A BIOS client as DHCP asks about it: with the architecture it announced, or BIOS when it announced none. */
    private static BootContext biosClient() {
        return BootContext.of(BootProtocol.DHCP, new InetSocketAddress("0.0.0.0", 68))
                .withArchitecture(ClientArchitecture.BIOS);
    }

    private static NodeDirectory directory(Node... nodes) {
        return new NodeDirectory() {
            @Override
            public Optional<Node> byHardwareAddress(HardwareAddress address) {
                return List.of(nodes).stream().filter(n -> n.hardwareAddress().equals(address)).findFirst();
            }

            @Override
            public Optional<Node> byUuid(UUID uuid) {
                return Optional.empty();
            }

            @Override
            public Optional<Node> byAddress(InetAddress address) {
                return Optional.empty();
            }

            @Override
            public Optional<Node> byName(String name) {
                return Optional.empty();
            }

            @Override
            public Collection<Node> nodes() {
                return List.of(nodes);
            }
        };
    }

    /** The DHCP server's networks, which change as its subnets do. */
    private final List<BootNetwork> networks = new CopyOnWriteArrayList<>(
            List.of(PxelinuxEntryTest.network("192.0.2.0", 24, "192.0.2.1", "192.0.2.254")));
    private final BootNetworks dhcp = () -> List.copyOf(networks);
    private final PxelinuxLoader loader = new PxelinuxLoader(PxelinuxSettings.DEFAULTS, directory(NODE), dhcp);

    /** What slf4j-simple writes while {@code action} runs. */
    private static String logOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(UTF_8);
    }

    private String config(PxelinuxLoader from, String clientAddress) {
        return new String(from.generate(CONFIG, from(clientAddress)).orElseThrow(), US_ASCII);
    }

    @Test
    void namesPxelinuxForBiosOnly() {
        assertEquals(Optional.of("pxelinux.0"), loader.bootFile(biosClient()));
        assertEquals(Optional.empty(), loader.bootFile(from("0.0.0.0")),
                "DHCP always names the architecture: without one, nothing to guess from");
    }

    @Test
    void declinesUefiClients() {
        assertEquals(Optional.empty(), loader.bootFile(biosClient().withArchitecture(ClientArchitecture.EFI_X64)));
    }

    @Test
    void generatesTheConfigOfTheNodeTheProtocolRecognised() {
        String text = new String(loader.generate(CONFIG, from("192.0.2.21").withNode(NODE)).orElseThrow(), US_ASCII);
        assertTrue(text.contains("KERNEL vmlinuz\n"), text);
        assertTrue(text.contains("APPEND initrd=initrd.gz root=/dev/ram0 rw"
                + " ip=192.0.2.21:192.0.2.1:192.0.2.254:255.255.255.0:node01::off\n"), text);
    }

    @Test
    void ipFollowsTheDhcpSubnetsAsTheyChange() {
        networks.add(PxelinuxEntryTest.network("198.18.5.0", 24, "198.18.5.1", "198.18.5.254"));
        assertTrue(config(loader, "198.18.5.9").contains(" ip=198.18.5.9:198.18.5.1:198.18.5.254:255.255.255.0:node01::off\n"));

        networks.set(0, PxelinuxEntryTest.network("192.0.2.0", 25, "192.0.2.2", "192.0.2.126"));
        assertTrue(config(loader, "192.0.2.21").contains(" ip=192.0.2.21:192.0.2.2:192.0.2.126:255.255.255.128:node01::off\n"));
    }

    @Test
    void anAddressNoDhcpSubnetHoldsGetsIpWithoutItsNetworkAndALogLineSayingWhatToAdd() {
        String[] text = new String[1];
        String log = logOf(() -> text[0] = config(loader, "203.0.113.7"));

        assertTrue(text[0].contains(" ip=203.0.113.7::::node01::off\n"), text[0]);
        assertTrue(log.contains("WARN") && log.contains("no DHCP subnet holds its address 203.0.113.7")
                && log.contains("etc/org.diskless.dhcp.subnet-<name>.cfg"), log);
        assertEquals("", logOf(() -> config(loader, "203.0.113.7")), "once a minute per address, not per request");
    }

    @Test
    void withoutTheDhcpServersNetworksIpHasNoneAndTheLogSaysSo() {
        PxelinuxLoader alone = new PxelinuxLoader(PxelinuxSettings.DEFAULTS, directory(NODE), null);
        String[] text = new String[1];
        String log = logOf(() -> text[0] = config(alone, "192.0.2.21"));

        assertTrue(text[0].contains(" ip=192.0.2.21::::node01::off\n"), text[0]);
        assertTrue(log.contains("WARN") && log.contains("no boot networks are published"), log);
    }

    @Test
    void findsTheNodeByTheMacInTheNameWhenTheProtocolDidNot() {
        String text = new String(loader.generate(CONFIG, from("192.0.2.150")).orElseThrow(), US_ASCII);
        assertTrue(text.contains("ip=192.0.2.150:"), "the address the node asks from is its address now:\n" + text);
    }

    @Test
    void makesNothingForOtherNamesUnknownMacsOrNodesWithoutAKernel() {
        BootContext context = from("192.0.2.21").withNode(NODE);
        assertTrue(loader.generate("pxelinux.cfg/default", context).isEmpty());
        assertTrue(loader.generate("pxelinux.cfg/C000021", context).isEmpty());
        assertTrue(loader.generate("other/01-52-54-00-12-34-56", context).isEmpty());
        assertTrue(loader.generate("pxelinux.cfg/01-aa-bb-cc-dd-ee-ff", context).isEmpty());
        Node bare = Node.builder("bare", HardwareAddress.parse("52:54:00:00:00:01")).build();
        PxelinuxLoader withBare = new PxelinuxLoader(PxelinuxSettings.DEFAULTS, directory(bare), dhcp);
        assertTrue(withBare.generate("pxelinux.cfg/01-52-54-00-00-00-01", from("192.0.2.22")).isEmpty());
    }

    @Test
    void aRamDiskIsSizedFromTheImageTheNodeFetchesRelativeToTheLoadersFolderUnlessAbsolute() throws Exception {
        BootFiles tree = new BootFiles(Map.of("bios/initrd.gz", 3000, "images/root.img", 1_048_577));
        PxelinuxLoader bios = new PxelinuxLoader(PxelinuxSettingsTest.parse(Map.of("bootFile", "bios/pxelinux.0")),
                directory(NODE), dhcp, tree);
        String text = new String(bios.generate("bios/" + CONFIG, from("192.0.2.21")).orElseThrow(), US_ASCII);
        assertTrue(text.contains(" initrd=initrd.gz root=/dev/ram0 rw ramdisk_size=3 ip="), text);
        assertEquals(List.of("bios/initrd.gz for node01"), tree.asked);

        Node absolute = NODE.toBuilder().bootFile("initrd", "/images/root.img").build();
        String other = new String(new PxelinuxLoader(PxelinuxSettingsTest.parse(Map.of("bootFile", "bios/pxelinux.0")),
                directory(absolute), dhcp, tree).generate("bios/" + CONFIG, from("192.0.2.21")).orElseThrow(), US_ASCII);
        assertTrue(other.contains(" root=/dev/ram0 rw ramdisk_size=1025 "), other);
    }

    @Test
    void anImageThatIsNotThereOrAnNfsRootGetsNoSize() {
        BootFiles empty = new BootFiles(Map.of());
        PxelinuxLoader withTree = new PxelinuxLoader(PxelinuxSettings.DEFAULTS, directory(NODE), dhcp, empty);
        assertTrue(config(withTree, "192.0.2.21").contains(" root=/dev/ram0 rw ip="));
        assertEquals(List.of("initrd.gz for node01"), empty.asked);

        Node nfs = NODE.toBuilder().bootFile("nfsroot", "/export/root/node01").build();
        PxelinuxLoader nfsLoader = new PxelinuxLoader(PxelinuxSettings.DEFAULTS, directory(nfs), dhcp, empty);
        assertTrue(config(nfsLoader, "192.0.2.21").contains(" root=/dev/nfs nfsroot=192.0.2.1:/export/root/node01 "));
        assertEquals(1, empty.asked.size(), "an NFS root needs no RAM disk, so its initrd is not measured");
    }

    /** A boot root of zero-filled files by path, recording what was asked for whom. */
    private static final class BootFiles implements BootFileResolver {
        final List<String> asked = new CopyOnWriteArrayList<>();
        private final Map<String, Integer> sizes;

        BootFiles(Map<String, Integer> sizes) {
            this.sizes = sizes;
        }

        @Override
        public BootFile resolve(String path, BootContext context) throws BootFileException {
            String normalized = path.replaceFirst("^/+", "");
            asked.add(normalized + " for " + context.node().map(Node::name).orElse("?"));
            Integer size = sizes.get(normalized);
            if (size == null) {
                throw new BootFileException(BootFileException.Reason.NOT_FOUND, normalized);
            }
            return new BootFile() {
                @Override
                public String path() {
                    return normalized;
                }

                @Override
                public long size() {
                    return size;
                }

                @Override
                public boolean generated() {
                    return false;
                }

                @Override
                public BootFileContent open() {
                    return new BootFileContent() {
                        @Override
                        public long size() {
                            return size;
                        }

                        @Override
                        public int read(ByteBuffer dst, long position) {
                            if (position >= size) {
                                return -1;
                            }
                            int n = (int) Math.min(dst.remaining(), size - position);
                            dst.position(dst.position() + n); // zeros: the buffer's own
                            return n;
                        }

                        @Override
                        public void close() {
                        }
                    };
                }
            };
        }

        @Override
        public BootFileUpload createUpload(String path, BootContext context, boolean replace) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aLoaderInASubdirectoryAnswersForItsOwnConfigDirectory() throws Exception {
        PxelinuxLoader bios = new PxelinuxLoader(PxelinuxSettingsTest.parse(Map.of("bootFile", "bios/pxelinux.0")),
                directory(NODE), dhcp);
        assertTrue(bios.generate("bios/" + CONFIG, from("192.0.2.21")).isPresent());
        assertTrue(bios.generate(CONFIG, from("192.0.2.21")).isEmpty());
        assertEquals(Optional.of("bios/pxelinux.0"), bios.bootFile(biosClient()));
    }

    @Test
    void aKeyOfAnOlderReleaseIsNamedButTheServicesOwnPropertiesAreNot() {
        String log = logOf(() -> new PxelinuxLoader(Map.of("subnets", "192.0.2.0/24", "service.ranking", 0,
                "diskless.loader.architectures", 0, "component.name", "x", "service.pid", "y")));

        assertTrue(log.contains("'subnets' is not a setting here"), log);
        assertFalse(log.contains("diskless.loader.architectures") || log.contains("service."), log);
    }

    @Test
    void aBadConfigurationKeepsTheSettingsInForce() {
        PxelinuxLoader live = new PxelinuxLoader(Map.of("bootFile", "bios/pxelinux.0"));
        live.modified(Map.of("bootFile", "../escape"));
        assertEquals(Optional.of("bios/pxelinux.0"), live.bootFile(biosClient()));
        live.modified(Map.of("bootFile", "lpxelinux.0"));
        assertEquals(Optional.of("lpxelinux.0"), live.bootFile(biosClient()));
    }
}

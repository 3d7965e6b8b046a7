package org.diskless.support.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.diskless.api.HardwareAddress;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.nodes.Node;
import org.diskless.support.kernel.KernelCommandLine.Root;
import org.junit.jupiter.api.Test;

class KernelCommandLineTest {

    private static final BootNetwork LAB = BootNetwork.builder("lab", ipv4("192.0.2.0"), 24)
            .serverAddress(ipv4("192.0.2.1")).routers(List.of(ipv4("192.0.2.254"))).build();
    private static final NetworkValues NODE01_ON_LAB = NetworkValues.literal(Optional.of(ipv4("192.0.2.21")),
            Optional.of(LAB));

    private static Node node(String name, Map<String, String> bootFiles) {
        return Node.builder(name, HardwareAddress.parse("52:54:00:12:34:56")).bootFiles(bootFiles).build();
    }

    private static Node node(Map<String, String> bootFiles) {
        return node("node01", bootFiles);
    }

    @Test
    void anNfsRootTakesTheServerOfTheNodesNetworkAndTheFullStaticIpForm() {
        KernelCommandLine line = KernelCommandLine.forNode(node(Map.of("kernel", "vmlinuz", "nfsroot",
                "/export/root/node01,vers=3"))).network(NODE01_ON_LAB).device("eth0").build();

        assertEquals("root=/dev/nfs nfsroot=192.0.2.1:/export/root/node01,vers=3"
                + " ip=192.0.2.21:192.0.2.1:192.0.2.254:255.255.255.0:node01:eth0:off", line.text());
        assertEquals(Root.NFS, line.root());
        assertEquals(Optional.of("192.0.2.1:/export/root/node01,vers=3"), line.nfsroot());
        assertTrue(line.configuresNetwork());
        assertEquals(line.text().length(), line.longestLength(), "nothing left to expand");
    }

    @Test
    void anNfsRootNamingItsServerKeepsItAndAnInitrdBesideItIsNoRamDisk() {
        KernelCommandLine line = KernelCommandLine.forNode(node(Map.of("initrd", "modules.gz",
                "nfsroot", "192.0.2.7:/export/root"))).network(NODE01_ON_LAB).build();

        assertEquals(List.of("initrd=modules.gz", "root=/dev/nfs", "nfsroot=192.0.2.7:/export/root",
                "ip=192.0.2.21:192.0.2.1:192.0.2.254:255.255.255.0:node01::off"), line.arguments());
        assertEquals(OptionalLong.empty(), line.ramdiskSize());
    }

    @Test
    void aRamDiskRootIsWritableAndSizedFromTheImageInWholeKibRoundedUp() {
        KernelCommandLine line = KernelCommandLine.forNode(node(Map.of("initrd", "images/root.img.gz")))
                .ramDiskImageSize(path -> path.equals("images/root.img.gz") ? OptionalLong.of(8 * 1024 * 1024 + 1)
                        : OptionalLong.empty()).build();

        assertEquals("initrd=images/root.img.gz root=/dev/ram0 rw ramdisk_size=8193", line.text());
        assertEquals(Root.RAM_DISK, line.root());
        assertEquals(OptionalLong.of(8193), line.ramdiskSize());
        assertFalse(line.ramdiskSizeByOperator());
    }

    @Test
    void anImageThatCouldNotBeMeasuredGetsNoSizeAndAnNfsRootNeedsNoMeasure() {
        KernelCommandLine line = KernelCommandLine.forNode(node(Map.of("initrd", "initrd.gz"))).build();
        assertEquals("initrd=initrd.gz root=/dev/ram0 rw", line.text());
        assertEquals(OptionalLong.empty(), line.ramdiskSize());
        KernelCommandLine nfs = KernelCommandLine.forNode(node(Map.of("initrd", "modules.gz", "nfsroot", "/srv/n1")))
                .ramDiskImageSize(path -> {
                    throw new AssertionError("no RAM disk, nothing to measure");
                }).build();
        assertEquals(Root.NFS, nfs.root());
    }

    @Test
    void theOperatorsRamdiskSizeReplacesTheComputedOneAndTheLastOneCounts() {
        KernelCommandLine line = KernelCommandLine.forNode(node(Map.of("initrd", "root.img",
                "append", "ramdisk_size=4096 quiet ramdisk_size=65536"))).append("ramdisk_size=1024 console=ttyS0")
                .ramDiskImageSize(path -> {
                    throw new AssertionError("the operator set the size: nothing to measure");
                }).build();

        assertEquals("initrd=root.img root=/dev/ram0 rw ramdisk_size=1024 console=ttyS0"
                + " ramdisk_size=4096 quiet ramdisk_size=65536", line.text());
        assertEquals(OptionalLong.of(65536), line.ramdiskSize());
        assertTrue(line.ramdiskSizeByOperator());

        KernelCommandLine unreadable = KernelCommandLine.forNode(node(Map.of("initrd", "root.img",
                "append", "ramdisk_size=64M"))).build();
        assertEquals(OptionalLong.empty(), unreadable.ramdiskSize(), "the kernel reads KiB, not 64M");
        assertTrue(unreadable.ramdiskSizeByOperator());
    }

    @Test
    void theLoadersArgumentsComeBeforeTheNodesOwnAndWithoutAClientThereIsNoIp() {
        KernelCommandLine line = KernelCommandLine.forNode(node(Map.of("kernel", "vmlinuz", "append", "quiet panic=10")))
                .append("console=tty0").build();
        assertEquals(List.of("console=tty0", "quiet panic=10"), line.arguments());
        assertEquals(Root.UNSET, line.root());
        assertFalse(line.configuresNetwork());
        assertTrue(KernelCommandLine.forNode(node(Map.of("append", "ip=dhcp"))).build().configuresNetwork());
    }

    @Test
    void withoutANetworkServerGatewayAndNetmaskStayEmptyAndTheNfsRootHasNoServer() {
        KernelCommandLine line = KernelCommandLine.forNode(node(Map.of("nfsroot", "/srv/nfs/node01")))
                .network(NetworkValues.literal(Optional.of(ipv4("198.51.100.5")), Optional.empty())).build();
        assertEquals("root=/dev/nfs nfsroot=/srv/nfs/node01 ip=198.51.100.5::::node01::off", line.text());
    }

    @Test
    void iPxeVariablesCountAtTheirLongestAndTheImageIsNamedAsIpxeNamesIt() {
        KernelCommandLine line = KernelCommandLine.forNode(node(Map.of("initrd", "images/initrd.gz",
                "nfsroot", "/srv/n1"))).network(NetworkValues.IPXE)
                .initrdName(path -> path.substring(path.lastIndexOf('/') + 1)).build();

        assertEquals("initrd=initrd.gz root=/dev/nfs nfsroot=${next-server}:/srv/n1"
                + " ip=${ip}:${next-server}:${gateway}:${netmask}:node01::off", line.text());
        int variables = "${next-server}".length() * 2 + "${ip}".length() + "${gateway}".length() + "${netmask}".length();
        assertEquals(line.text().length() - variables + 5 * 15, line.longestLength());
    }

    @Test
    void aNodeNameThatIsNoHostNameIsLeftOutOfIp() {
        KernelCommandLine line = KernelCommandLine.forNode(node("odd:name", Map.of())).network(NODE01_ON_LAB).build();
        assertEquals("ip=192.0.2.21:192.0.2.1:192.0.2.254:255.255.255.0:::off", line.text());
    }

    @Test
    void whatALineCannotHoldIsRefusedWithTheRoleThatHoldsIt() {
        IllegalArgumentException space = assertThrows(IllegalArgumentException.class,
                () -> KernelCommandLine.forNode(node(Map.of("initrd", "my initrd"))).build());
        assertTrue(space.getMessage().contains("'initrd' = 'my initrd'"), space.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> KernelCommandLine.forNode(node(Map.of("nfsroot", "/srv/\tx"))).build());
        IllegalArgumentException control = assertThrows(IllegalArgumentException.class,
                () -> KernelCommandLine.forNode(node(Map.of("append", "quiet\u001b[2J"))).build());
        assertTrue(control.getMessage().contains("'append'"), control.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> KernelCommandLine.forNode(node(Map.of())).append("a\nb").build());
    }

    @Test
    void kibibytesRoundUp() {
        assertEquals(0, KernelCommandLine.kibibytes(0));
        assertEquals(1, KernelCommandLine.kibibytes(1));
        assertEquals(1, KernelCommandLine.kibibytes(1024));
        assertEquals(2, KernelCommandLine.kibibytes(1025));
        assertThrows(IllegalArgumentException.class, () -> KernelCommandLine.kibibytes(-1));
    }

    static Inet4Address ipv4(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

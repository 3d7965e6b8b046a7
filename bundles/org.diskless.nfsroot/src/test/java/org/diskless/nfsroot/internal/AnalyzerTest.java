package org.diskless.nfsroot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.diskless.nfsroot.internal.NodeReport.Boot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check on its own: a node that passes, then the one thing that breaks its boot, named. */
class AnalyzerTest {

    private static final String GOOD_EXPORT = "${ROOT}/export/root/node01 192.0.2.21(rw,no_root_squash,sync)\n";

    @TempDir
    Path folder;

    private Lab lab;

    @BeforeEach
    void aNodeThatBoots() {
        lab = new Lab(folder).bootFile("images/vmlinuz", 100).system("export/root/node01").exports(GOOD_EXPORT);
        lab.node(lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21").build());
    }

    private List<String> problems() {
        return lab.shown(String.join("\n", lab.report("node01").problems())).lines().toList();
    }

    private void assertOneProblem(String... parts) {
        List<String> problems = problems();
        assertEquals(1, problems.size(), () -> "one problem expected: " + problems);
        for (String part : parts) {
            assertTrue(problems.get(0).contains(part), () -> "'" + part + "' not in: " + problems.get(0));
        }
    }

    @Test
    void theNodeAsSetUpHasNoProblem() {
        assertEquals(List.of(), problems());
        assertEquals(Boot.NFS, lab.report("node01").boot());
    }

    @Test
    void aMissingRootIsNamed() {
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21")
                .bootFile("nfsroot", folder + "/export/root/nodeX").build());
        lab.exports("${ROOT}/export/root/nodeX 192.0.2.21(rw,no_root_squash)\n");
        assertOneProblem("its root ${ROOT}/export/root/nodeX does not exist", "create it");
    }

    @Test
    void anEmptyRootIsNamed() {
        lab.mkdirs("export/root/node02").exports(GOOD_EXPORT.replace("node01", "node02"));
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21")
                .bootFile("nfsroot", folder + "/export/root/node02").build());
        assertOneProblem("its root ${ROOT}/export/root/node02 is empty", "install the node's system");
    }

    @Test
    void aRootThatIsAFileIsNamed() {
        lab.file("export/root/node09", new byte[1]).exports(GOOD_EXPORT.replace("node01", "node09"));
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21")
                .bootFile("nfsroot", folder + "/export/root/node09").build());
        assertOneProblem("is not a directory");
    }

    @Test
    void aKernelNotInTheBootRootIsNamedWithWhereEachLoaderLooks() {
        lab.loaders = List.of(LoaderView.pxelinux(Map.of("bootFile", "bios/pxelinux.0")), LoaderView.ipxe(Map.of()));
        assertOneProblem("its kernel bios/images/vmlinuz (as pxelinux fetches it) cannot be served",
                "put it in the boot root or fix its kernel boot file");
        lab.bootFile("bios/images/vmlinuz", 100);
        assertEquals(List.of(), problems(), "iPXE fetches images/vmlinuz from the root: there");
    }

    @Test
    void anInitrdNotInTheBootRootIsNamed() {
        lab.nodes.set(0, Lab.node("node01", "52:54:00:00:00:01").address(Lab.ipv4("192.0.2.21"))
                .bootFile("initrd", "images/initrd.gz").build());
        assertOneProblem("its initrd images/initrd.gz (as pxelinux and iPXE fetch it) cannot be served");
    }

    @Test
    void anNfsRootOrInitrdWithoutAKernelIsNamed() {
        lab.nodes.set(0, org.diskless.api.nodes.Node.builder("node01", org.diskless.api.HardwareAddress.parse(
                "52:54:00:00:00:01")).address(Lab.ipv4("192.0.2.21")).bootFile("nfsroot", folder + "/export/root/node01")
                .build());
        assertOneProblem("has an nfsroot boot file but no kernel", "--boot kernel=");
    }

    @Test
    void aCommandLineLongerThanPxelinuxHandsOverIsNamed() {
        lab.loaders = List.of(LoaderView.pxelinux(Map.of()));
        String base = lab.report("node01").lines().get(0).text().orElseThrow();
        int room = LoaderView.X86_COMMAND_LINE - "BOOT_IMAGE=images/vmlinuz ".length() - base.length() - 1;
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21").bootFile("append", "x".repeat(room))
                .build());
        assertEquals(List.of(), problems(), "exactly " + LoaderView.X86_COMMAND_LINE + " characters fit");
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21")
                .bootFile("append", "x".repeat(room + 1)).build());
        assertOneProblem("the kernel command line pxelinux writes is 1 characters over the 2046",
                "'BOOT_IMAGE=images/vmlinuz ' in front", "shorten");
    }

    @Test
    void iPxeCountsItsSettingsAtTheirLongest() {
        lab.loaders = List.of(LoaderView.ipxe(Map.of()));
        String script = lab.report("node01").lines().get(0).text().orElseThrow();
        int expansion = 5 * 15 - "${next-server}".length() * 2 - "${ip}".length() - "${gateway}".length()
                - "${netmask}".length();
        int room = LoaderView.X86_COMMAND_LINE - "vmlinuz ".length() - script.length() - expansion - 1;
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21").bootFile("append", "x".repeat(room))
                .build());
        assertEquals(List.of(), problems());
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21")
                .bootFile("append", "x".repeat(room + 1)).build());
        assertOneProblem("iPXE writes is 1 characters over", "iPXE's settings at their longest");
    }

    @Test
    void aRamDiskSmallerThanItsImageIsNamedAndAnInitramfsNeedsNone() throws IOException {
        lab.bootFile("images/root.img", 8 * 1024 * 1024);
        lab.nodes.set(0, Lab.node("node01", "52:54:00:00:00:01").address(Lab.ipv4("192.0.2.21"))
                .bootFile("initrd", "images/root.img").bootFile("append", "ramdisk_size=8191").build());
        assertOneProblem("its ramdisk_size=8191 is smaller than its image images/root.img (8192 KiB)");

        lab.nodes.set(0, Lab.node("node01", "52:54:00:00:00:01").address(Lab.ipv4("192.0.2.21"))
                .bootFile("initrd", "images/root.img").bootFile("append", "ramdisk_size=8192").build());
        assertEquals(List.of(), problems());

        lab.file("srv/tftp/images/root.img", gzip(new byte[16 * 1024 * 1024]));
        lab.nodes.set(0, Lab.node("node01", "52:54:00:00:00:01").address(Lab.ipv4("192.0.2.21"))
                .bootFile("initrd", "images/root.img").bootFile("append", "ramdisk_size=8192").build());
        assertOneProblem("(16384 KiB uncompressed)");

        lab.file("srv/tftp/images/root.img", ("070701" + "0".repeat(104) + "TRAILER!!!\0").getBytes());
        lab.nodes.set(0, Lab.node("node01", "52:54:00:00:00:01").address(Lab.ipv4("192.0.2.21"))
                .bootFile("initrd", "images/root.img").bootFile("append", "ramdisk_size=1").build());
        assertEquals(List.of(), problems(), "an initramfs is unpacked into the kernel's own root");
    }

    @Test
    void aRamDiskSizeThatIsNoNumberIsNamed() {
        lab.bootFile("images/root.img", 4096);
        lab.nodes.set(0, Lab.node("node01", "52:54:00:00:00:01").address(Lab.ipv4("192.0.2.21"))
                .bootFile("initrd", "images/root.img").bootFile("append", "ramdisk_size=64M").build());
        assertOneProblem("no number of KiB", "ramdisk_size=4");
    }

    @Test
    void aCompressedImageThatDoesNotRecordItsSizeIsSaidToBeUndecided() {
        byte[] xz = new byte[4096];
        System.arraycopy(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, 0, xz, 0, 6);
        lab.file("srv/tftp/images/root.img.xz", xz);
        lab.nodes.set(0, Lab.node("node01", "52:54:00:00:00:01").address(Lab.ipv4("192.0.2.21"))
                .bootFile("initrd", "images/root.img.xz").build());
        assertOneProblem("cannot tell whether its RAM disk is large enough", "xz-compressed", "ramdisk_size=4 counts");
    }

    @Test
    void anNfsNodeWithoutAddressOrSubnetIsNamed() {
        lab.networks = List.of();
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", null).build());
        List<String> problems = problems();
        assertTrue(problems.get(0).contains("has no fixed address and no DHCP subnet is configured")
                && problems.get(0).contains("nodes:add --address"), problems.toString());
    }

    @Test
    void anAddressInNoSubnetWithAServerlessNfsRootIsNamed() {
        lab.exports(GOOD_EXPORT.replace("192.0.2.21", "203.0.113.21"));
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", "203.0.113.21").build());
        assertOneProblem("its address 203.0.113.21 is in no DHCP subnet", "nfsroot= names no server");
        lab.nodes.set(0, lab.nfsNode("node01", "52:54:00:00:00:01", "203.0.113.21")
                .bootFile("nfsroot", "192.0.2.1:" + folder + "/export/root/node01").build());
        assertEquals(List.of(), problems(), "its nfsroot names our server");
    }

    @Test
    void aMissingExportIsNamedWithTheLineToAdd() throws IOException {
        java.nio.file.Files.delete(lab.path("etc/exports"));
        assertOneProblem("its root ${ROOT}/export/root/node01 is not exported to 192.0.2.21; add to the exports:"
                + " ${ROOT}/export/root/node01 192.0.2.21(rw,no_root_squash,sync,no_subtree_check)");
        assertEquals(1, lab.analyzer().general().size(), "no exports file at all is said once");
        lab.file("etc/exports", new byte[0]);
        assertEquals(List.of(), lab.analyzer().general());
    }

    @Test
    void anExportToOtherHostsOnlyIsNamedWithThem() {
        lab.exports("${ROOT}/export/root/node01 192.0.2.22(rw,no_root_squash)\n");
        assertOneProblem("is not exported to 192.0.2.21, only to 192.0.2.22(rw,no_root_squash)"
                + " (${ROOT}/etc/exports:1)");
    }

    @Test
    void aSquashedRootIsNamed() {
        lab.exports("${ROOT}/export/root/node01 192.0.2.21(rw,sync)\n");
        assertOneProblem("${ROOT}/etc/exports:1 exports", "squashes root", "add no_root_squash");
        lab.exports("${ROOT}/export/root/node01 192.0.2.21(rw,no_root_squash,all_squash)\n");
        assertOneProblem("all_squash");
    }

    @Test
    void aReadOnlyExportOfARootTheNodeWritesIsNamed() {
        lab.exports("${ROOT}/export/root/node01 192.0.2.21(no_root_squash)\n");
        assertOneProblem("is read-only (ro is the default) where the node writes: add rw");
    }

    @Test
    void anExportForKerberosOnlyIsNamed() {
        lab.exports("${ROOT}/export/root/node01 192.0.2.21(rw,no_root_squash,sec=krb5p)\n");
        assertOneProblem("allows only Kerberos", "add sec=sys");
    }

    @Test
    void theNearestExportedDirectoryAboveTheRootDecides() {
        lab.exports("${ROOT}/export 192.0.2.0/24(rw,no_root_squash)\n${ROOT}/export/root 192.0.2.21(ro)\n");
        assertOneProblem("${ROOT}/etc/exports:2 exports ${ROOT}/export/root to 192.0.2.21(ro)", "squashes root");
    }

    @Test
    void aHostNameOrNetgroupIsSaidToBeUndecidedNotGuessed() {
        lab.exports("${ROOT}/export/root/node01 @diskless(rw,no_root_squash)\n");
        assertOneProblem("cannot tell whether it may mount", "@diskless (a netgroup", "name it by address");
    }

    @Test
    void aSharedRootIsReadOnlyAndNeedsNoWrite() {
        lab.settings.put("mode", "shared");
        lab.settings.put("sharedRoot", folder + "/export/root/node01");
        lab.mkdirs("export/overlay/node01").exports("""
                ${ROOT}/export/root/node01 192.0.2.0/24(ro,no_root_squash)
                ${ROOT}/export/overlay/node01 192.0.2.21(rw,no_root_squash)
                """);
        assertEquals(List.of(), problems());
        lab.exports("${ROOT}/export/root/node01 192.0.2.0/24(ro,no_root_squash)\n"
                + "${ROOT}/export/overlay/node01 192.0.2.21(no_root_squash)\n");
        assertOneProblem("its overlay ${ROOT}/export/overlay/node01", "read-only");
    }

    @Test
    void aPerNodeRootOthersMayWriteAsRootIsAWarningNotAProblem() {
        lab.exports("${ROOT}/export/root 192.0.2.0/24(rw,no_root_squash)\n");
        NodeReport report = lab.report("node01");
        assertEquals(List.of(), report.problems());
        assertEquals(1, report.warnings().size(), report.warnings()::toString);
        assertTrue(lab.shown(report.warnings().get(0)).contains("to 192.0.2.0/24 (${ROOT}/etc/exports:1): every host"
                + " there may write it as root"), report.warnings().get(0));
    }

    @Test
    void withoutTheBootFileServiceOrAnyLoaderTheCheckSaysWhatItCannotLookAt() {
        lab.bootFilesRunning = false;
        lab.loaders = List.of();
        assertEquals(2, lab.analyzer().general().size(), lab.analyzer().general()::toString);
        assertEquals(List.of(), problems());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}

package org.diskless.nfsroot.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three texts of the console, whole, for a lab with a node of each kind, against the files in
 * {@code src/test/resources/org/diskless/nfsroot/}. On a difference the text printed is written to
 * {@code target/golden/} beside it, to compare.
 */
class GoldenTest {

    @TempDir
    Path folder;

    private Lab lab;

    @BeforeEach
    void perNodeLab() {
        lab = new Lab(folder).bootFile("images/vmlinuz", 100).bootFile("images/root.img", 3 * 1024 * 1024 + 1)
                .system("export/root/node01").mkdirs("export/root/node02").system("export/root/node07")
                .exports("""
                        # Written by hand, one root at a time
                        ${ROOT}/export/root/node01   192.0.2.21(rw,no_root_squash,sync)
                        ${ROOT}/export/root/node02   192.0.2.0/24(rw)   # squashes root
                        ${ROOT}/export/root/node07   builder.example(rw,no_root_squash) \\
                                                     192.0.2.0/24(ro,no_root_squash)
                        """)
                .file("etc/exports.d/old.exports", "/export/old 192.0.2.0/24(rw,no_root_squash) 10.0.0.0/8( ro)\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        lab.node(lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21").group("rack1")
                        .bootFile("append", "console=ttyS0,115200").build())
                .node(lab.nfsNode("node02", "52:54:00:00:00:02", "192.0.2.22").group("rack1").build())
                .node(lab.nfsNode("node03", "52:54:00:00:00:03", null).group("rack2").build())
                .node(Lab.node("node04", "52:54:00:00:00:04").address(Lab.ipv4("192.0.2.24"))
                        .bootFile("initrd", "images/root.img").bootFile("append", "ramdisk_size=1024").build())
                .node(Lab.node("node05", "52:54:00:00:00:05").address(Lab.ipv4("192.0.2.25"))
                        .bootFile("nfsroot", "192.0.2.7:/export/root/node05,vers=3").build())
                .node(Lab.node("node06", "52:54:00:00:00:06").address(Lab.ipv4("192.0.2.26")).build())
                .node(lab.nfsNode("node07", "52:54:00:00:00:07", "192.0.2.27").bootFile("kernel", "images/vmlinuz-6.1")
                        .build())
                .node(org.diskless.api.nodes.Node.builder("hp01", org.diskless.api.HardwareAddress.parse("08:00:09:00:00:01"))
                        .bootFile("rmp1", "SYSHPUX").build());
    }

    @Test
    void hintsOfEveryNode() throws IOException {
        Analyzer analyzer = lab.analyzer();
        assertGolden("hints-per-node.txt", HintText.of(analyzer.general(), analyzer.reports(), lab.settings()));
    }

    @Test
    void exportsReadyToPaste() throws IOException {
        assertGolden("exports-per-node.txt", ExportsText.of(lab.analyzer().reports(), lab.settings()));
    }

    @Test
    void checkListsEveryProblemAndNothingElse() throws IOException {
        Analyzer analyzer = lab.analyzer();
        assertGolden("check-per-node.txt", CheckText.of(analyzer.general(), analyzer.reports()));
    }

    @Test
    void sharedRootsWithOverlays() throws IOException {
        lab.nodes.clear();
        lab.settings.put("mode", "shared");
        lab.system("export/shared/web").mkdirs("export/overlay/node11")
                .exports("""
                        ${ROOT}/export/shared/web 192.0.2.0/24(ro,no_root_squash,sync)
                        ${ROOT}/export/overlay/node11 192.0.2.31(rw,no_root_squash,sync)
                        """);
        String shared = folder + "/export/shared/web";
        lab.node(Lab.node("node11", "52:54:00:00:00:11").address(Lab.ipv4("192.0.2.31")).group("web")
                        .bootFile("nfsroot", shared).build())
                .node(Lab.node("node12", "52:54:00:00:00:12").address(Lab.ipv4("192.0.2.32")).group("web")
                        .bootFile("nfsroot", shared).build())
                .node(Lab.node("node13", "52:54:00:00:00:13").address(Lab.ipv4("192.0.2.33"))
                        .bootFile("nfsroot", shared).build());
        Analyzer analyzer = lab.analyzer();
        assertAll(
                () -> assertGolden("hints-shared.txt", HintText.of(analyzer.general(), analyzer.reports(),
                        lab.settings())),
                () -> assertGolden("exports-shared.txt", ExportsText.of(analyzer.reports(), lab.settings())),
                () -> assertGolden("check-shared.txt", CheckText.of(analyzer.general(), analyzer.reports())));
    }

    private void assertGolden(String name, String printed) throws IOException {
        String actual = lab.shown(printed);
        String expected;
        try (InputStream in = GoldenTest.class.getResourceAsStream("/org/diskless/nfsroot/" + name)) {
            expected = in == null ? "(no golden file " + name + ")" : new String(in.readAllBytes(), UTF_8);
        }
        if (!expected.equals(actual)) {
            Path written = Path.of("target", "golden", name);
            Files.createDirectories(written.getParent());
            Files.writeString(written, actual, UTF_8);
        }
        assertEquals(expected, actual, name + " (what was printed: " + Path.of("target", "golden", name) + ")");
    }
}

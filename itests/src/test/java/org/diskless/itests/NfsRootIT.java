package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The NFS-root hints in the running distribution, over the console: three nodes on the DHCP subnet
 * of the server's veth (198.18.5.0/24, the server at .1), their roots and exports file in a folder
 * of this test (named in etc/org.diskless.nfsroot.cfg), one root in order, one empty and squashed
 * by its exports line, one missing and exported nowhere. exportfs is a script of this test that
 * writes down how it was called: the host's NFS server is never touched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NfsRootIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final String NFSROOT_CFG = "org.diskless.nfsroot.cfg";
    private static final String SUBNET_CFG = "org.diskless.dhcp.subnet-nfsroot.cfg";
    private static final String OPTIONS = "(rw,no_root_squash,sync,no_subtree_check)";

    private static Path folder;
    private static Path exportfsLog;

    @BeforeAll
    static void threeNodesTheirRootsAndExports() throws IOException {
        folder = Files.createDirectories(server.clientDir().resolveSibling("nfsroot"));
        Files.createDirectories(folder.resolve("export/root/nfs-node01/etc"));
        Files.createDirectories(folder.resolve("export/root/nfs-node02"));
        Files.createDirectories(folder.resolve("etc"));
        Files.writeString(folder.resolve("etc/exports"), String.join("\n",
                "# the host's own exports, read and never written",
                folder + "/export/root/nfs-node01 198.18.5.21" + OPTIONS,
                folder + "/export/root/nfs-node02 198.18.5.0/24(rw,sync)", ""));
        exportfsLog = folder.resolve("exportfs.log");
        Path exportfs = folder.resolve("exportfs");
        Files.writeString(exportfs, "#!/bin/sh\necho \"$@\" >> " + exportfsLog + "\n");
        Files.setPosixFilePermissions(exportfs, PosixFilePermissions.fromString("rwxr-xr-x"));
        server.randomFileInTftpboot("images/vmlinuz", 4096);

        long mark = server.logMark();
        server.writeConfig(NFSROOT_CFG, String.join("\n",
                "rootPattern = \"" + folder + "/export/root/{node}\"",
                "exportsFile = \"" + folder + "/etc/exports\"",
                "exportsDirectory = \"\"",
                "exportfsCommand = \"" + exportfs + "\"", ""));
        server.writeConfig(SUBNET_CFG, "network = \"198.18.5.0/24\"\nrouters = \"198.18.5.254\"\n");
        assertTrue(server.awaitLogLine(mark, SETTLE, "NFS-root hints: mode per-node, roots " + folder).isPresent(),
                () -> "the settings were not taken:\n" + server.logSince(mark));
        for (int i = 1; i <= 3; i++) {
            server.shell("nodes:add --address 198.18.5.2" + i + " --boot kernel=images/vmlinuz --boot nfsroot="
                    + folder + "/export/root/nfs-node0" + i + " nfs-node0" + i + " 52:54:00:6e:00:0" + i);
        }
        if (poll(SETTLE, Duration.ofMillis(300), () -> server.shell("nfsroot:hints"),
                hints -> hints.contains("nfs-node03 (") && hints.contains("nfsroot=198.18.5.1:")).isEmpty()) {
            fail("the hints never showed the three nodes on their subnet:\n" + server.shell("nfsroot:hints"));
        }
    }

    @Test
    @Order(1)
    void exportsPrintsALinePerRootReadyToPaste() {
        assertEquals(String.join("\n",
                "# NFS roots of the Diskless nodes (mode per-node), for /etc/exports; written by nfsroot:exports",
                "# nfs-node01",
                folder + "/export/root/nfs-node01 198.18.5.21" + OPTIONS,
                "# nfs-node02",
                folder + "/export/root/nfs-node02 198.18.5.22" + OPTIONS,
                "# nfs-node03",
                folder + "/export/root/nfs-node03 198.18.5.23" + OPTIONS, ""), console("nfsroot:exports"));
    }

    @Test
    @Order(2)
    void checkNamesEveryProblemWithItsNodeAndNothingForTheNodeInOrder() {
        List<String> problems = console("nfsroot:check").lines().toList();
        assertEquals(List.of(
                "nfs-node02: its root " + folder + "/export/root/nfs-node02 is empty: install the node's system into it"
                        + " (debootstrap, or a copy of a node's root)",
                "nfs-node02: its root " + folder + "/export/root/nfs-node02: " + folder + "/etc/exports:3 exports "
                        + folder + "/export/root/nfs-node02 to 198.18.5.0/24(rw,sync), which squashes root"
                        + " (root_squash is the default): add no_root_squash",
                "nfs-node03: its root " + folder + "/export/root/nfs-node03 does not exist: create it and install the"
                        + " node's system into it",
                "nfs-node03: its root " + folder + "/export/root/nfs-node03 is not exported to 198.18.5.23; add to the"
                        + " exports: " + folder + "/export/root/nfs-node03 198.18.5.23" + OPTIONS), problems);
    }

    @Test
    @Order(3)
    void hintsShowTheLoadersOwnCommandLineAndAnUnknownNameIsOneLine() {
        String hints = console("nfsroot:hints nfs-node01");
        assertTrue(hints.contains("  pxelinux    root=/dev/nfs nfsroot=198.18.5.1:" + folder + "/export/root/nfs-node01"
                + " ip=198.18.5.21:198.18.5.1:198.18.5.254:255.255.255.0:nfs-node01::off\n"), hints);
        // Asked for from the client namespace, pxelinux writes the address asked from into ip=.
        Optional<String> generated = server.tftpText("pxelinux.cfg/01-52-54-00-6e-00-01");
        assertTrue(generated.isPresent() && generated.get().contains("  APPEND root=/dev/nfs nfsroot=198.18.5.1:" + folder
                + "/export/root/nfs-node01 ip=" + DisklessServer.CLIENT_IP + ":198.18.5.1:198.18.5.254:255.255.255.0"
                + ":nfs-node01::off\n"), () -> "the loader writes the same line: " + generated);

        Exec.Result unknown = server.shellResult("nfsroot:hints no-such-node", Duration.ofSeconds(60));
        // A user's mistake: the command fails (exit status 1) with one line (Karaf puts "Error executing command: "
        // before it over ssh), no exception's name or stack trace. ssh may add that the server closed the connection.
        String all = unknown.stdout() + unknown.stderr();
        assertTrue(all.contains("No node or group named 'no-such-node' (nodes:list names them; nfsroot:hints without"
                + " a name shows every node)"), unknown::describe);
        assertTrue(!unknown.ok() && !all.contains("Exception"), unknown::describe);
    }

    @Test
    @Order(4)
    void exportfsTurnedOnExportsWhatTheFileLacksAndTakesBackOnlyItsOwn() throws IOException {
        server.setProperty(NFSROOT_CFG, "exportfs", "\"true\"");
        String node02 = "198.18.5.22:" + folder + "/export/root/nfs-node02";
        String node03 = "198.18.5.23:" + folder + "/export/root/nfs-node03";
        awaitExportfs(List.of("-o rw,no_root_squash,sync,no_subtree_check " + node02,
                "-o rw,no_root_squash,sync,no_subtree_check " + node03));
        String check = console("nfsroot:check");
        assertTrue(!check.contains("squashes root") && !check.contains("not exported"),
                () -> "what it exported counts as exported:\n" + check);

        server.shell("nodes:remove nfs-node03");
        awaitExportfs(List.of("-o rw,no_root_squash,sync,no_subtree_check " + node02,
                "-o rw,no_root_squash,sync,no_subtree_check " + node03, "-u " + node03));

        server.setProperty(NFSROOT_CFG, "exportfs", "\"false\"");
        awaitExportfs(List.of("-o rw,no_root_squash,sync,no_subtree_check " + node02,
                "-o rw,no_root_squash,sync,no_subtree_check " + node03, "-u " + node03, "-u " + node02));
    }

    private static void awaitExportfs(List<String> calls) {
        Optional<List<String>> seen = poll(SETTLE, Duration.ofMillis(300), NfsRootIT::exportfsCalls, calls::equals);
        if (seen.isEmpty()) {
            fail("exportfs was called\n" + String.join("\n", exportfsCalls()) + "\nexpected\n" + String.join("\n", calls)
                    + "\n" + server.logSince(0).lines().filter(l -> l.contains("xport")).reduce("", (a, b) -> a + b + "\n"));
        }
    }

    private static List<String> exportfsCalls() {
        try {
            return Files.exists(exportfsLog) ? Files.readAllLines(exportfsLog, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A console command's output, its line ends as a file's. */
    private static String console(String command) {
        return server.shell(command).replace("\r\n", "\n");
    }
}

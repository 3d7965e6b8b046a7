package org.diskless.nfsroot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootLoader;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as the console and the inventory use it, with exportfs replaced by a recorder. */
class NfsRootComponentTest {

    @TempDir
    Path folder;

    private Lab lab;
    private final List<Node> nodes = new CopyOnWriteArrayList<>();
    private final List<String> runs = new CopyOnWriteArrayList<>();
    private NfsRootComponent component;

    @BeforeEach
    void twoNodesOneOfThemInTheExportsFile() {
        lab = new Lab(folder).bootFile("images/vmlinuz", 100).system("export/root/node01").system("export/root/node02")
                .system("export/root/node03")
                .exports("${ROOT}/export/root/node02 192.0.2.22(rw,no_root_squash,sync,no_subtree_check)\n");
        nodes.add(lab.nfsNode("node01", "52:54:00:00:00:01", "192.0.2.21").group("rack1").build());
        nodes.add(lab.nfsNode("node02", "52:54:00:00:00:02", "192.0.2.22").group("rack1").build());
        nodes.add(lab.nfsNode("node03", "52:54:00:00:00:03", "192.0.2.23").group("rack2").build());
    }

    @AfterEach
    void stop() {
        if (component != null) {
            component.deactivate();
        }
    }

    private NfsRootComponent start(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(lab.settings);
        properties.putAll(extra);
        component = new NfsRootComponent(properties, (command, timeout) -> {
            runs.add(String.join(" ", command.subList(1, command.size())));
            return new Exportfs.Run(true, false, 0, "");
        }, directory(), () -> lab.networks, lab.bootFiles());
        component.addLoader(loader("pxelinux"));
        return component;
    }

    @Test
    void hintsForANodeAGroupOrEveryNodeAndOneLineForAnUnknownName() {
        start(Map.of());
        assertTrue(component.hints(Optional.of("node01")).startsWith("node01 ("));
        String group = component.hints(Optional.of("rack1"));
        assertTrue(group.contains("node01 (") && group.contains("node02 (") && !group.contains("node03 ("), group);
        assertTrue(component.hints(Optional.empty()).contains("node03 ("));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> component.hints(Optional.of("node99")));
        assertEquals("No node or group named 'node99' (nodes:list names them; nfsroot:hints without a name shows every"
                + " node)", unknown.getMessage());
        assertEquals(List.of("node01", "node02", "node03", "rack1", "rack2"), component.names());
    }

    @Test
    void onlyThePxelinuxLoaderRunningShowsOnlyItsLine() {
        start(Map.of());
        String hints = component.hints(Optional.of("node01"));
        assertTrue(hints.contains("  pxelinux    root=/dev/nfs") && !hints.contains("iPXE"), hints);
    }

    @Test
    void exportfsIsNotRunUnlessTurnedOn() throws Exception {
        start(Map.of());
        component.awaitExports();
        assertEquals(List.of(), runs);
        assertTrue(component.check().contains("node01: its root"), "node01 is exported nowhere");
    }

    @Test
    void turnedOnItExportsWhatTheFileLacksAndTakesBackAsNodesGoAndAtStop() throws Exception {
        start(Map.of("exportfs", "true"));
        component.awaitExports();
        assertEquals(List.of("-o rw,no_root_squash,sync,no_subtree_check 192.0.2.21:" + folder + "/export/root/node01",
                "-o rw,no_root_squash,sync,no_subtree_check 192.0.2.23:" + folder + "/export/root/node03"), runs,
                "node02's export is the file's: left to it");
        assertEquals(CheckText.NONE + "\n", component.check(), "what it exported counts as exported");

        Node gone = nodes.remove(0);
        component.nodeChanged(Optional.of(gone), Optional.empty());
        component.awaitExports();
        assertEquals("-u 192.0.2.21:" + folder + "/export/root/node01", runs.get(2));

        component.deactivate();
        component = null;
        assertEquals(List.of("-u 192.0.2.23:" + folder + "/export/root/node03"), runs.subList(3, runs.size()));
    }

    @Test
    void turnedOffItTakesBackWhatItExported() throws Exception {
        start(Map.of("exportfs", "true"));
        component.awaitExports();
        Map<String, Object> off = new HashMap<>(lab.settings);
        off.put("exportfs", "false");
        component.modified(off);
        component.awaitExports();
        assertEquals(4, runs.size(), runs::toString);
        assertTrue(runs.subList(2, 4).stream().allMatch(run -> run.startsWith("-u ")), runs::toString);
        assertFalse(component.check().contains(CheckText.NONE));
    }

    private NodeDirectory directory() {
        return new NodeDirectory() {
            @Override
            public Optional<Node> byHardwareAddress(HardwareAddress address) {
                return nodes.stream().filter(n -> n.hardwareAddress().equals(address)).findFirst();
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
                return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
            }

            @Override
            public Collection<Node> nodes() {
                return List.copyOf(nodes);
            }
        };
    }

    private static BootLoader loader(String name) {
        return new BootLoader() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> bootFile(BootContext context) {
                return Optional.empty();
            }
        };
    }
}

package org.diskless.nfsroot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class NfsRootSettingsTest {

    private static NfsRootSettings parse(Map<String, ?> properties) throws InvalidSettingException {
        return NfsRootSettings.parse(Config.of(properties));
    }

    private static String refusedKey(Map<String, ?> properties) {
        return assertThrows(InvalidSettingException.class, () -> parse(properties)).key();
    }

    @Test
    void theDefaultsArePerNodeRootsUnderExportAndTheHostsExportsReadOnly() {
        NfsRootSettings defaults = NfsRootSettings.DEFAULTS;
        assertEquals(NfsRootSettings.Mode.PER_NODE, defaults.mode());
        assertEquals("/export/root/{node}", defaults.rootPattern().text());
        assertEquals(Path.of("/etc/exports"), defaults.exportsFile());
        assertEquals(Optional.of(Path.of("/etc/exports.d")), defaults.exportsDirectory());
        assertEquals(false, defaults.exportfs());
        assertEquals(Duration.ofSeconds(10), defaults.exportfsTimeout());
    }

    @Test
    void aPatternThatCannotMakeAPathForNfsrootOrAnExportsLineIsRefused() {
        assertEquals("rootPattern", refusedKey(Map.of("rootPattern", "export/{node}")));
        assertEquals("rootPattern", refusedKey(Map.of("rootPattern", "/export/{name}")));
        assertEquals("rootPattern", refusedKey(Map.of("rootPattern", "/export/a b/{node}")));
        assertEquals("rootPattern", refusedKey(Map.of("rootPattern", "/export/{node},vers=3")));
        assertEquals("rootPattern", refusedKey(Map.of("rootPattern", "/export/../{node}")));
        assertEquals("overlayPattern", refusedKey(Map.of("overlayPattern", "/export/#{node}")));
    }

    @Test
    void perNodeRootsNeedTheNodeAndASharedRootMustNotHaveIt() {
        assertEquals("rootPattern", refusedKey(Map.of("rootPattern", "/export/root/{group}")));
        assertEquals("sharedRoot", refusedKey(Map.of("mode", "shared", "sharedRoot", "/export/{node}")));
        assertEquals("overlayPattern", refusedKey(Map.of("mode", "shared", "overlayPattern", "/export/overlay")));
        assertEquals("mode", refusedKey(Map.of("mode", "per-group")));
    }

    @Test
    void anEmptyExportsDirectoryReadsNoneAndTheFilesMustBeAbsolute() throws Exception {
        assertEquals(Optional.empty(), parse(Map.of("exportsDirectory", "")).exportsDirectory());
        assertEquals("exportsFile", refusedKey(Map.of("exportsFile", "etc/exports")));
        assertEquals("exportfsCommand", refusedKey(Map.of("exportfsCommand", "sudo exportfs")));
        assertEquals("exportfsTimeout", refusedKey(Map.of("exportfsTimeout", "0")));
    }

    @Test
    void aPatternMakesEachNodesPathOrSaysWhyNot() throws Exception {
        PathPattern pattern = parse(Map.of("rootPattern", "/export/{group}/{node}")).rootPattern();
        Node grouped = Node.builder("node01", HardwareAddress.parse("52:54:00:00:00:01")).group("rack1").build();
        assertEquals(Optional.of("/export/rack1/node01"), pattern.apply(grouped).path());
        Node alone = Node.builder("node02", HardwareAddress.parse("52:54:00:00:00:02")).build();
        assertTrue(pattern.apply(alone).refusal().orElseThrow().contains("has no group"));
        Node odd = Node.builder("a b", HardwareAddress.parse("52:54:00:00:00:03")).group("rack1").build();
        assertTrue(pattern.apply(odd).refusal().orElseThrow().contains("no usable path"));
        Node dots = Node.builder("..", HardwareAddress.parse("52:54:00:00:00:04")).group("rack1").build();
        assertTrue(pattern.apply(dots).refusal().isPresent(), "'..' would leave the roots");
    }
}

package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.diskless.api.nodes.NodeEditException;
import org.diskless.api.nodes.NodeEditException.Reason;
import org.diskless.nodes.FakeConfigurationAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeEditingTest {

    private final FakeConfigurationAdmin configurationAdmin = new FakeConfigurationAdmin();

    @TempDir
    Path etc;

    private NodeEditing editing() {
        return new NodeEditing(configurationAdmin.service(), etc,
                Clock.fixed(Instant.parse("2026-12-07T10:15:30Z"), ZoneOffset.UTC));
    }

    @Test
    void aRefusalNamesTheSettingThatIsWrong() {
        NodeEditException badMac = assertThrows(NodeEditException.class,
                () -> editing().add(Map.of("name", "pc01", "mac", "nope")));
        assertEquals(Reason.INVALID, badMac.reason());
        assertEquals("mac", badMac.key());
        NodeEditException noName = assertThrows(NodeEditException.class,
                () -> editing().add(Map.of("mac", "52:54:00:aa:00:01")));
        assertEquals("name", noName.key());
        assertTrue(configurationAdmin.contents().isEmpty());
    }

    @Test
    void aValueAnotherNodeHoldsIsTakenAndNamed() throws Exception {
        editing().add(Map.of("name", "pc01", "mac", "52:54:00:aa:00:01", "address", "192.0.2.11"));

        NodeEditException mac = assertThrows(NodeEditException.class,
                () -> editing().add(Map.of("name", "pc02", "mac", "52:54:00:AA:00:01")));
        assertEquals(Reason.TAKEN, mac.reason());
        assertEquals("mac", mac.key());
        NodeEditException address = assertThrows(NodeEditException.class,
                () -> editing().add(Map.of("name", "pc02", "mac", "52:54:00:aa:00:02", "address", "192.0.2.11")));
        assertEquals("address", address.key());
        assertFalse(Files.exists(etc.resolve("org.diskless.node-pc02.cfg")));
    }

    @Test
    void aChangeReplacesTheSettingsInPlaceKeepingWhenAndWhereTheNodeWasWritten() throws Exception {
        Path file = editing().add(Map.of("name", "pc01", "mac", "52:54:00:aa:00:01", "group", "rack1")).file();
        editing().add(Map.of("name", "pc02", "mac", "52:54:00:aa:00:02", "address", "192.0.2.12"));

        editing().change("PC01", Map.of("name", "pc01", "mac", "52:54:00:aa:00:01", "group", "rack2",
                "bootFiles", new String[] {"kernel=vmlinuz"}));

        Map<String, Object> stored = configurationAdmin.contents().values().stream()
                .filter(p -> "pc01".equals(p.get("name"))).findFirst().orElseThrow();
        assertEquals("rack2", stored.get("group"));
        assertArrayEquals(new String[] {"kernel=vmlinuz"}, (String[]) stored.get("bootFiles"));
        assertEquals("2026-12-07T10:15:30Z", stored.get("created"));
        assertEquals(NodeFiles.fileInstallKey(file), stored.get(NodeFiles.FILEINSTALL_FILENAME),
                "FileInstall writes the change back to the same file");
        assertEquals(2, configurationAdmin.contents().size());
    }

    @Test
    void aChangeIsCheckedAgainstTheOtherNodesOnly() throws Exception {
        editing().add(Map.of("name", "pc01", "mac", "52:54:00:aa:00:01", "address", "192.0.2.11"));
        editing().add(Map.of("name", "pc02", "mac", "52:54:00:aa:00:02"));

        editing().change("pc01", Map.of("name", "pc01", "mac", "52:54:00:aa:00:01", "address", "192.0.2.11"));
        NodeEditException taken = assertThrows(NodeEditException.class, () -> editing().change("pc02",
                Map.of("name", "pc02", "mac", "52:54:00:aa:00:02", "address", "192.0.2.11")));
        assertEquals("address", taken.key());
        NodeEditException renamed = assertThrows(NodeEditException.class, () -> editing().change("pc02",
                Map.of("name", "pc03", "mac", "52:54:00:aa:00:02")));
        assertEquals(Reason.INVALID, renamed.reason());
        assertEquals("name", renamed.key());
        NodeEditException unknown = assertThrows(NodeEditException.class, () -> editing().change("pc09",
                Map.of("name", "pc09", "mac", "52:54:00:aa:00:09")));
        assertEquals(Reason.UNKNOWN, unknown.reason());
    }

    @Test
    void removeDeletesTheFileAndTheConfiguration() throws Exception {
        Path file = editing().add(Map.of("name", "pc01", "mac", "52:54:00:aa:00:01")).file();

        NodeEditing.Removed removed = editing().remove("pc01");

        assertEquals("pc01", removed.name());
        assertFalse(Files.exists(file));
        assertTrue(configurationAdmin.contents().isEmpty());
        assertEquals(Reason.UNKNOWN, assertThrows(NodeEditException.class, () -> editing().remove("pc01")).reason());
    }
}

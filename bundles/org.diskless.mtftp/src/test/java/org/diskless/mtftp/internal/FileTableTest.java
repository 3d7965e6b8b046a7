package org.diskless.mtftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.Config;
import org.junit.jupiter.api.Test;

/** Which file configurations are served when they clash. */
class FileTableTest {

    private static FileSettings file(String name, String group, int clientPort) throws Exception {
        return FileSettings.parse(Config.of(Map.of("file", name, "group", group, "clientPort",
                String.valueOf(clientPort))));
    }

    @Test
    void aSecondFileOnTheSameGroupAndClientPortIsHeldBackUntilTheFirstGoes() throws Exception {
        FileTable table = new FileTable(64);
        assertEquals(Optional.empty(), table.put("a", file("pxelinux.0", "239.255.42.1", 1758)));
        Optional<String> refusal = table.put("b", file("vmlinuz", "239.255.42.1", 1758));
        assertTrue(refusal.orElseThrow().contains("239.255.42.1:1758 carries pxelinux.0 already"), refusal.get());
        assertEquals(List.of("a"), List.copyOf(table.served().keySet()));
        Map<String, String> heldBefore = table.heldBack();
        table.remove("a");
        assertEquals(List.of("b"), List.copyOf(table.served().keySet()));
        assertEquals(List.of("b"), FileTable.promoted(heldBefore, table.served()));
    }

    @Test
    void theSameGroupOnAnotherClientPortIsAnotherChannel() throws Exception {
        FileTable table = new FileTable(64);
        table.put("a", file("pxelinux.0", "239.255.42.1", 1758));
        assertEquals(Optional.empty(), table.put("b", file("vmlinuz", "239.255.42.1", 1768)));
        assertEquals(2, table.served().size());
    }

    @Test
    void oneFileIsMulticastOnOneChannelOnly() throws Exception {
        FileTable table = new FileTable(64);
        table.put("a", file("pxelinux.0", "239.255.42.1", 1758));
        assertTrue(table.put("b", file("/pxelinux.0", "239.255.42.2", 1758)).isPresent());
    }

    @Test
    void aChangeThatWouldClashIsRefusedAndTheVersionInForceKeepsServing() throws Exception {
        FileTable table = new FileTable(64);
        table.put("a", file("pxelinux.0", "239.255.42.1", 1758));
        FileSettings b = file("vmlinuz", "239.255.42.2", 1758);
        table.put("b", b);
        assertTrue(table.put("b", file("vmlinuz", "239.255.42.1", 1758)).isPresent());
        assertEquals(b, table.served().get("b"));
    }

    @Test
    void filesBeyondMaxFilesWait() throws Exception {
        FileTable table = new FileTable(1);
        table.put("a", file("pxelinux.0", "239.255.42.1", 1758));
        assertTrue(table.put("b", file("vmlinuz", "239.255.42.2", 1758)).orElseThrow().contains("maxFiles"));
        table.maxFiles(2);
        assertEquals(2, table.served().size());
    }
}

package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class NodeRecordParserTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("name", "hp370");
        properties.put("mac", "08:00:09:12:34:56");
        return properties;
    }

    @Test
    void readsEveryKeyAsFileInstallWritesThem() throws Exception {
        Map<String, Object> properties = minimal();
        properties.put("uuid", "4C4C4544-0042-3510-8052-B4C04F4B4D31");
        properties.put("address", "192.168.1.20");
        properties.put("architecture", "7");
        properties.put("hardwareContexts", "HP-MC68020, HP-MC68010");
        properties.put("bootFiles", "kernel=vmlinuz, initrd=initrd.gz");
        properties.put("group", "lab");
        Node node = NodeRecordParser.parse(properties);
        assertEquals("hp370", node.name());
        assertEquals(HardwareAddress.parse("08:00:09:12:34:56"), node.hardwareAddress());
        assertEquals(Optional.of(UUID.fromString("4c4c4544-0042-3510-8052-b4c04f4b4d31")), node.uuid());
        assertEquals(Optional.of(InetAddress.getByName("192.168.1.20")), node.address());
        assertEquals(Optional.of(ClientArchitecture.EFI_X64), node.architecture());
        assertEquals(List.of("HP-MC68020", "HP-MC68010"), node.hardwareContexts());
        assertEquals(Map.of("kernel", "vmlinuz", "initrd", "initrd.gz"), node.bootFiles());
        assertEquals(Optional.of("lab"), node.group());
    }

    @Test
    void acceptsTypedValuesAndArrays() throws Exception {
        Map<String, Object> properties = minimal();
        properties.put("architecture", 11);
        properties.put("hardwareContexts", new String[] {"HP-MC68020", "HP-MC68010"});
        properties.put("bootFiles", List.of("kernel=vmlinuz"));
        Node node = NodeRecordParser.parse(properties);
        assertEquals(11, node.architecture().get().code());
        assertEquals(List.of("HP-MC68020", "HP-MC68010"), node.hardwareContexts());
        assertEquals(Map.of("kernel", "vmlinuz"), node.bootFiles());
    }

    @Test
    void roundTripsThroughConfigurationProperties() throws Exception {
        Map<String, Object> properties = minimal();
        properties.put("uuid", "4c4c4544-0042-3510-8052-b4c04f4b4d31");
        properties.put("address", "10.0.0.5");
        properties.put("architecture", 0);
        properties.put("bootFiles", "initrd=initrd.gz,kernel=vmlinuz");
        properties.put("hardwareContexts", "HP-MC68020");
        properties.put("group", "hp300");
        Node node = NodeRecordParser.parse(properties);
        assertEquals(node, NodeRecordParser.parse(NodeRecordParser.toProperties(node)));
    }

    @Test
    void missingNameIsRefusedNamingTheKey() {
        Map<String, Object> properties = minimal();
        properties.remove("name");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> NodeRecordParser.parse(properties));
        assertEquals("name", e.key());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void badMacIsRefusedWithTheValueAndAnExample() {
        Map<String, Object> properties = minimal();
        properties.put("mac", "08:00:09:zz:34:56");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> NodeRecordParser.parse(properties));
        assertEquals("mac", e.key());
        assertTrue(e.getMessage().contains("08:00:09:zz:34:56"), e.getMessage());
        assertTrue(e.getMessage().contains("52:54:00:12:34:56"), e.getMessage());
    }

    @Test
    void macOfAnotherLengthIsRefused() {
        Map<String, Object> properties = minimal();
        properties.put("mac", "08:00:09:12:34");
        assertEquals("mac", assertThrows(InvalidSettingException.class, () -> NodeRecordParser.parse(properties)).key());
    }

    @Test
    void addressMustBeAnIpv4LiteralNeverADnsName() {
        Map<String, Object> properties = minimal();
        properties.put("address", "hp370.example.com");
        assertEquals("address", assertThrows(InvalidSettingException.class,
                () -> NodeRecordParser.parse(properties)).key());
        properties.put("address", "192.168.1.256");
        assertEquals("address", assertThrows(InvalidSettingException.class,
                () -> NodeRecordParser.parse(properties)).key());
    }

    @Test
    void badUuidArchitectureAndBootFilesNameTheirKeys() {
        Map<String, Object> properties = minimal();
        properties.put("uuid", "not-a-uuid");
        assertEquals("uuid", assertThrows(InvalidSettingException.class, () -> NodeRecordParser.parse(properties)).key());
        properties.remove("uuid");
        properties.put("architecture", "70000");
        assertEquals("architecture", assertThrows(InvalidSettingException.class,
                () -> NodeRecordParser.parse(properties)).key());
        properties.remove("architecture");
        properties.put("bootFiles", "vmlinuz");
        assertEquals("bootFiles", assertThrows(InvalidSettingException.class,
                () -> NodeRecordParser.parse(properties)).key());
    }

    @Test
    void aListKeepsCommasInsideItsEntriesWhileOneStringIsSplitAtThem() throws Exception {
        Map<String, Object> properties = minimal();
        properties.put("bootFiles", new String[] {"kernel=vmlinuz", "append=console=ttyS0,115200"});
        assertEquals(Map.of("kernel", "vmlinuz", "append", "console=ttyS0,115200"),
                NodeRecordParser.parse(properties).bootFiles());
        properties.put("bootFiles", "kernel=vmlinuz,initrd=initrd.gz");
        assertEquals(Map.of("kernel", "vmlinuz", "initrd", "initrd.gz"), NodeRecordParser.parse(properties).bootFiles());
    }

    @Test
    void textANodeFileCannotKeepIsRefusedNamingTheKey() {
        for (String text : List.of("back\\slash", "${karaf.home}", "caf\u00e9", "tab\there")) {
            Map<String, Object> properties = minimal();
            properties.put("group", text);
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> NodeRecordParser.parse(properties));
            assertEquals("group", e.key(), text);
            assertTrue(e.getMessage().contains("printable ASCII"), e.getMessage());
        }
        Map<String, Object> properties = minimal();
        properties.put("bootFiles", new String[] {"kernel=boot\\vmlinuz"});
        assertEquals("bootFiles", assertThrows(InvalidSettingException.class,
                () -> NodeRecordParser.parse(properties)).key());
        properties.remove("bootFiles");
        properties.put("hardwareContexts", new String[] {"HP-MC68020", "HP\\MC"});
        assertEquals("hardwareContexts", assertThrows(InvalidSettingException.class,
                () -> NodeRecordParser.parse(properties)).key());
    }

    @Test
    void createdIsAnInstantOrAbsent() throws Exception {
        Map<String, Object> properties = minimal();
        assertEquals(Optional.empty(), NodeRecordParser.created(Config.of(properties)));
        properties.put("created", "2026-12-07T10:15:30.123Z");
        assertEquals(Optional.of(Instant.parse("2026-12-07T10:15:30.123Z")), NodeRecordParser.created(Config.of(properties)));
        properties.put("created", "yesterday");
        assertEquals("created", assertThrows(InvalidSettingException.class,
                () -> NodeRecordParser.created(Config.of(properties))).key());
    }

    @Test
    void nameMustBeAHostName() {
        Map<String, Object> properties = minimal();
        properties.put("name", "hp 370");
        assertEquals("name", assertThrows(InvalidSettingException.class, () -> NodeRecordParser.parse(properties)).key());
    }
}

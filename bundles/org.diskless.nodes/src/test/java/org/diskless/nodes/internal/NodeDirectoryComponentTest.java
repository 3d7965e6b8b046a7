package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.nodes.FakeConfigurationAdmin;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationEvent;

class NodeDirectoryComponentTest {

    private final FakeConfigurationAdmin configurationAdmin = new FakeConfigurationAdmin();

    private static ConfigurationEvent event(int type, String factoryPid, String pid) {
        return FakeConfigurationAdmin.event(type, factoryPid, pid);
    }

    @Test
    void readsTheNodeConfigurationsOnActivationAndNothingElse() {
        configurationAdmin.put(NodeConfiguration.FACTORY_PID, Map.of("name", "pc1", "mac", "52:54:00:00:00:01"));
        configurationAdmin.put("org.diskless.tftp.other", Map.of("name", "pc2", "mac", "52:54:00:00:00:02"));
        NodeDirectoryComponent directory = new NodeDirectoryComponent(configurationAdmin.service());
        assertEquals(List.of("pc1"), directory.nodes().stream().map(Node::name).toList());
    }

    @Test
    void followsConfigurationEventsOfTheNodeFactoryAndTellsListeners() {
        NodeDirectoryComponent directory = new NodeDirectoryComponent(configurationAdmin.service());
        List<Optional<Node>> heard = new ArrayList<>();
        directory.addNodeListener((before, after) -> heard.add(after));
        String pid = configurationAdmin.put(NodeConfiguration.FACTORY_PID,
                Map.of("name", "pc1", "mac", "52:54:00:00:00:01", "address", "10.0.0.1"));
        directory.configurationEvent(event(ConfigurationEvent.CM_UPDATED, NodeConfiguration.FACTORY_PID, pid));
        assertEquals(Optional.of("pc1"), directory.byAddress(NodeRecordParser.ipv4("10.0.0.1").get()).map(Node::name));
        configurationAdmin.delete(pid);
        directory.configurationEvent(event(ConfigurationEvent.CM_DELETED, NodeConfiguration.FACTORY_PID, pid));
        assertEquals(List.of(), List.copyOf(directory.nodes()));
        assertEquals(2, heard.size());
        assertEquals(Optional.empty(), heard.get(1));
    }

    @Test
    void anEventReadsOnlyTheConfigurationItNamesNotTheWholeInventory() {
        for (int i = 0; i < 1000; i++) {
            configurationAdmin.put(NodeConfiguration.FACTORY_PID, Map.of("name", "pc" + i,
                    "mac", String.format("52:54:00:00:%02x:%02x", i / 256, i % 256)));
        }
        NodeDirectoryComponent directory = new NodeDirectoryComponent(configurationAdmin.service());
        assertEquals(1000, directory.nodes().size());
        long before = configurationAdmin.propertiesRead();

        String pid = configurationAdmin.put(NodeConfiguration.FACTORY_PID, Map.of("name", "pc1000",
                "mac", "52:54:00:00:10:00"));
        directory.configurationEvent(event(ConfigurationEvent.CM_UPDATED, NodeConfiguration.FACTORY_PID, pid));
        assertEquals(1, configurationAdmin.propertiesRead() - before, "one configuration read for one event");
        assertEquals(Optional.of("pc1000"), directory.byHardwareAddress(HardwareAddress.parse("52:54:00:00:10:00"))
                .map(Node::name));

        configurationAdmin.delete(pid);
        directory.configurationEvent(event(ConfigurationEvent.CM_DELETED, NodeConfiguration.FACTORY_PID, pid));
        assertEquals(1, configurationAdmin.propertiesRead() - before, "a deletion reads nothing");
        assertEquals(1000, directory.nodes().size());
    }

    @Test
    void aPidWithFilterCharactersIsEscapedInTheFilter() {
        assertEquals("org.diskless.node~a\\(b\\)\\*\\\\", NodeDirectoryComponent.escape("org.diskless.node~a(b)*\\"));
    }

    @Test
    void ignoresEventsOfOtherPids() {
        NodeDirectoryComponent directory = new NodeDirectoryComponent(configurationAdmin.service());
        configurationAdmin.put(NodeConfiguration.FACTORY_PID, Map.of("name", "pc1", "mac", "52:54:00:00:00:01"));
        directory.configurationEvent(event(ConfigurationEvent.CM_UPDATED, null, "org.diskless.tftp"));
        assertEquals(0, directory.nodes().size());
    }
}

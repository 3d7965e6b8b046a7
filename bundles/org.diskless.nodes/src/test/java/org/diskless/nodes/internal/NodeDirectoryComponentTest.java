package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.nodes.Node;
import org.diskless.nodes.FakeConfigurationAdmin;
import org.diskless.nodes.NodeConfiguration;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;

class NodeDirectoryComponentTest {

    private final FakeConfigurationAdmin configurationAdmin = new FakeConfigurationAdmin();

    @SuppressWarnings("unchecked")
    private static ConfigurationEvent event(int type, String factoryPid, String pid) {
        ServiceReference<ConfigurationAdmin> reference = (ServiceReference<ConfigurationAdmin>) Proxy.newProxyInstance(
                NodeDirectoryComponentTest.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> null);
        return new ConfigurationEvent(reference, type, factoryPid, pid);
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
    void ignoresEventsOfOtherPids() {
        NodeDirectoryComponent directory = new NodeDirectoryComponent(configurationAdmin.service());
        configurationAdmin.put(NodeConfiguration.FACTORY_PID, Map.of("name", "pc1", "mac", "52:54:00:00:00:01"));
        directory.configurationEvent(event(ConfigurationEvent.CM_UPDATED, null, "org.diskless.tftp"));
        assertEquals(0, directory.nodes().size());
    }
}

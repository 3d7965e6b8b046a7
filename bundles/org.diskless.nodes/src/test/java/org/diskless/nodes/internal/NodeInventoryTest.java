package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class NodeInventoryTest {

    private final List<String> warnings = new ArrayList<>();
    private final NodeInventory inventory = new NodeInventory(warnings::add);
    private final Map<String, Map<String, Object>> configurations = new LinkedHashMap<>();

    private static Map<String, Object> node(String name, String mac) {
        return new LinkedHashMap<>(Map.of("name", name, "mac", mac));
    }

    @Test
    void listenersHearAddedChangedAndRemovedAfterTheSwap() {
        List<String> heard = new ArrayList<>();
        inventory.addListener((before, after) -> heard.add(before.map(Node::name).orElse("-") + ">"
                + after.map(Node::name).orElse("-") + " serving=" + inventory.nodes().size()));
        configurations.put("p1", node("pc1", "52:54:00:00:00:01"));
        inventory.reload(configurations);
        configurations.put("p1", node("pc1b", "52:54:00:00:00:01"));
        inventory.reload(configurations);
        configurations.remove("p1");
        inventory.reload(configurations);
        assertEquals(List.of("->pc1 serving=1", "pc1>pc1b serving=1", "pc1b>- serving=0"), heard);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        List<Optional<Node>> heard = new ArrayList<>();
        inventory.addListener((before, after) -> {
            throw new IllegalStateException("boom");
        });
        inventory.addListener((before, after) -> heard.add(after));
        configurations.put("p1", node("pc1", "52:54:00:00:00:01"));
        inventory.reload(configurations);
        assertEquals(1, heard.size());
        assertTrue(warnings.get(0).contains("boom"), warnings.toString());
    }

    @Test
    void aBadConfigurationIsReportedOnceWithItsPidAndKeyAndTheOthersServe() {
        configurations.put("org.diskless.node~bad", node("pc1", "not-a-mac"));
        configurations.put("org.diskless.node~good", node("pc2", "52:54:00:00:00:02"));
        inventory.reload(configurations);
        inventory.reload(configurations);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("org.diskless.node~bad"), warnings.get(0));
        assertTrue(warnings.get(0).contains("'mac"), warnings.get(0));
        assertEquals(Optional.of("pc2"), inventory.byHardwareAddress(HardwareAddress.parse("52:54:00:00:00:02"))
                .map(Node::name));
    }

    @Test
    void aBadEditLeavesThePreviousSettingsServing() {
        configurations.put("p1", node("pc1", "52:54:00:00:00:01"));
        inventory.reload(configurations);
        configurations.put("p1", node("pc1", "52:54:00:00:00:zz"));
        List<NodeInventory.Change> changes = inventory.reload(configurations);
        assertEquals(List.of(), changes);
        assertEquals(Optional.of("pc1"), inventory.byName("pc1").map(Node::name));
        assertTrue(warnings.get(0).contains("keep serving"), warnings.toString());
    }

    @Test
    void aConflictingNewcomerIsRefusedWithTheKey() {
        configurations.put("p1", created(node("pc1", "52:54:00:00:00:01"), "2026-12-07T09:00:00Z"));
        inventory.reload(configurations);
        configurations.put("p0", created(node("pc0", "52-54-00-00-00-01"), "2026-12-08T09:00:00Z"));
        inventory.reload(configurations);
        assertEquals(Optional.of("pc1"), inventory.byHardwareAddress(HardwareAddress.parse("52:54:00:00:00:01"))
                .map(Node::name));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("node configuration p0 refused, key 'mac'"), warnings.get(0));
    }

    @Test
    void aConflictIsSettledTheSameLiveInEitherOrderAndAfterARestart() {
        Map<String, Object> older = created(node("zeta", "52:54:00:00:00:01"), "2026-12-07T09:00:00Z");
        Map<String, Object> newer = created(node("alpha", "52:54:00:00:00:01"), "2026-12-08T09:00:00Z");
        Map<String, Map<String, Object>> both = Map.of("org.diskless.node~zeta", older,
                "org.diskless.node~alpha", newer);
        HardwareAddress mac = HardwareAddress.parse("52:54:00:00:00:01");

        List<String> olderFirstWarnings = new ArrayList<>();
        NodeInventory olderFirst = new NodeInventory(olderFirstWarnings::add);
        olderFirst.reload(Map.of("org.diskless.node~zeta", older));
        olderFirst.reload(both);

        List<String> newerFirstWarnings = new ArrayList<>();
        NodeInventory newerFirst = new NodeInventory(newerFirstWarnings::add);
        newerFirst.reload(Map.of("org.diskless.node~alpha", newer));
        List<String> heard = new ArrayList<>();
        newerFirst.addListener((before, after) -> heard.add(before.map(Node::name).orElse("-") + ">"
                + after.map(Node::name).orElse("-")));
        newerFirst.reload(both);

        List<String> restartWarnings = new ArrayList<>();
        NodeInventory restarted = new NodeInventory(restartWarnings::add);
        restarted.reload(both);

        for (NodeInventory inventory : List.of(olderFirst, newerFirst, restarted)) {
            assertEquals(Optional.of("zeta"), inventory.byHardwareAddress(mac).map(Node::name));
            assertEquals(Optional.empty(), inventory.byName("alpha"));
        }
        for (List<String> lines : List.of(olderFirstWarnings, newerFirstWarnings, restartWarnings)) {
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("node configuration org.diskless.node~alpha refused, key 'mac'"),
                    lines.get(0));
        }
        assertEquals(List.of("alpha>-", "->zeta"), heard);
    }

    private static Map<String, Object> created(Map<String, Object> node, String created) {
        node.put("created", created);
        return node;
    }
}

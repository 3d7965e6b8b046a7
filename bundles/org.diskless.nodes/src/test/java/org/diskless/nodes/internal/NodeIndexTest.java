package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class NodeIndexTest {

    private static final UUID UUID_A = UUID.fromString("4c4c4544-0042-3510-8052-b4c04f4b4d31");

    private static Node node(String name, String mac, String address) {
        return Node.builder(name, HardwareAddress.parse(mac))
                .address(Optional.ofNullable(address).map(NodeIndexTest::ip).orElse(null)).build();
    }

    private static InetAddress ip(String text) {
        return NodeRecordParser.ipv4(text).orElseThrow();
    }

    private static Node withUuid(Node node, UUID uuid) {
        return Node.builder(node.name(), node.hardwareAddress()).uuid(uuid).address(node.address().orElse(null))
                .architecture(node.architecture().orElse(null)).hardwareContexts(node.hardwareContexts())
                .bootFiles(node.bootFiles()).group(node.group().orElse(null)).build();
    }

    @Test
    void findsANodeByEveryKey() {
        Node pc1 = withUuid(node("pc1", "52:54:00:00:00:01", "10.0.0.1"), UUID_A);
        NodeIndex index = NodeIndex.build(List.of(new NodeRecord("p1", pc1)), NodeIndex.empty()).index();
        assertEquals(Optional.of(pc1), index.byHardwareAddress(HardwareAddress.parse("52-54-00-00-00-01")));
        assertEquals(Optional.of(pc1), index.byAddress(ip("10.0.0.1")));
        assertEquals(Optional.of(pc1), index.byUuid(UUID_A));
        assertEquals(Optional.of(pc1), index.byName("PC1"), "host names compare without case");
        assertEquals(Optional.of(pc1), index.byPid("p1"));
    }

    @Test
    void listsNodesInNameOrder() {
        NodeIndex index = NodeIndex.build(List.of(
                new NodeRecord("p1", node("zeta", "52:54:00:00:00:01", null)),
                new NodeRecord("p2", node("alpha", "52:54:00:00:00:02", null))), NodeIndex.empty()).index();
        assertEquals(List.of("alpha", "zeta"), index.nodes().stream().map(Node::name).toList());
    }

    @Test
    void onAFreshStartTheLowerPidWinsAConflict() {
        NodeIndex.Built built = NodeIndex.build(List.of(
                new NodeRecord("p2", node("b", "52:54:00:00:00:01", null)),
                new NodeRecord("p1", node("a", "52:54:00:00:00:01", null))), NodeIndex.empty());
        assertEquals(List.of("a"), built.index().nodes().stream().map(Node::name).toList());
        assertEquals(List.of(new Refusal("p2", "mac", "MAC 52:54:00:00:00:01 is already used by node 'a'"
                + " (configuration p1)")), built.refusals());
    }

    @Test
    void theNodeAlreadyServingKeepsItsMacAgainstANewcomer() {
        NodeIndex before = NodeIndex.build(List.of(new NodeRecord("p9", node("old", "52:54:00:00:00:01", null))),
                NodeIndex.empty()).index();
        NodeIndex.Built built = NodeIndex.build(List.of(
                new NodeRecord("p9", node("old", "52:54:00:00:00:01", null)),
                new NodeRecord("p1", node("new", "52:54:00:00:00:01", null))), before);
        assertEquals(List.of("old"), built.index().nodes().stream().map(Node::name).toList());
        assertEquals("p1", built.refusals().get(0).pid());
    }

    @Test
    void sameNameOrSameAddressIsRefusedNamingTheKey() {
        NodeIndex.Built built = NodeIndex.build(List.of(
                new NodeRecord("p1", node("a", "52:54:00:00:00:01", "10.0.0.1")),
                new NodeRecord("p2", node("A", "52:54:00:00:00:02", null)),
                new NodeRecord("p3", node("c", "52:54:00:00:00:03", "10.0.0.1"))), NodeIndex.empty());
        assertEquals(List.of("name", "address"), built.refusals().stream().map(Refusal::key).toList());
        assertEquals(1, built.index().nodes().size());
    }

    @Test
    void aChangeThatConflictsLeavesThePreviousVersionServing() {
        NodeIndex before = NodeIndex.build(List.of(
                new NodeRecord("p1", node("a", "52:54:00:00:00:01", null)),
                new NodeRecord("p2", node("b", "52:54:00:00:00:02", null))), NodeIndex.empty()).index();
        NodeIndex.Built built = NodeIndex.build(List.of(
                new NodeRecord("p1", node("a", "52:54:00:00:00:01", null)),
                new NodeRecord("p2", node("b", "52:54:00:00:00:01", null))), before);
        assertEquals(Optional.of(node("b", "52:54:00:00:00:02", null)), built.index().byPid("p2"));
        assertEquals(1, built.refusals().size());
        assertTrue(built.warnings().get(0).contains("previous settings"), built.warnings().toString());
    }

    @Test
    void aUuidClaimedTwiceFindsNobody() {
        NodeIndex.Built built = NodeIndex.build(List.of(
                new NodeRecord("p1", withUuid(node("a", "52:54:00:00:00:01", null), UUID_A)),
                new NodeRecord("p2", withUuid(node("b", "52:54:00:00:00:02", null), UUID_A))), NodeIndex.empty());
        assertEquals(Optional.empty(), built.index().byUuid(UUID_A));
        assertEquals(2, built.index().nodes().size(), "both still serve by MAC");
        assertEquals(1, built.warnings().size());
    }
}

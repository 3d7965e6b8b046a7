package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class NodeIndexTest {

    private static final UUID UUID_A = UUID.fromString("4c4c4544-0042-3510-8052-b4c04f4b4d31");
    private static final Instant MONDAY = Instant.parse("2026-12-07T09:00:00Z");
    private static final Instant TUESDAY = Instant.parse("2026-12-08T09:00:00Z");

    private static Node node(String name, String mac, String address) {
        return Node.builder(name, HardwareAddress.parse(mac))
                .address(Optional.ofNullable(address).map(NodeIndexTest::ip).orElse(null)).build();
    }

    private static InetAddress ip(String text) {
        return NodeRecordParser.ipv4(text).orElseThrow();
    }

    private static NodeRecord record(String pid, Node node) {
        return new NodeRecord(pid, node, Optional.empty());
    }

    private static NodeRecord record(String pid, Node node, Instant created) {
        return new NodeRecord(pid, node, Optional.of(created));
    }

    private static List<String> served(NodeIndex.Built built) {
        return built.index().nodes().stream().map(Node::name).toList();
    }

    @Test
    void findsANodeByEveryKey() {
        Node pc1 = node("pc1", "52:54:00:00:00:01", "10.0.0.1").toBuilder().uuid(UUID_A).build();
        NodeIndex index = NodeIndex.build(List.of(record("p1", pc1))).index();
        assertEquals(Optional.of(pc1), index.byHardwareAddress(HardwareAddress.parse("52-54-00-00-00-01")));
        assertEquals(Optional.of(pc1), index.byAddress(ip("10.0.0.1")));
        assertEquals(Optional.of(pc1), index.byUuid(UUID_A));
        assertEquals(Optional.of(pc1), index.byName("PC1"), "host names compare without case");
        assertEquals(Optional.of(pc1), index.byPid("p1"));
    }

    @Test
    void listsNodesInNameOrder() {
        NodeIndex index = NodeIndex.build(List.of(
                record("p1", node("zeta", "52:54:00:00:00:01", null)),
                record("p2", node("alpha", "52:54:00:00:00:02", null)))).index();
        assertEquals(List.of("alpha", "zeta"), index.nodes().stream().map(Node::name).toList());
    }

    @Test
    void theNodeCreatedFirstKeepsAContestedMacWhateverTheOrderOrNames() {
        NodeRecord older = record("org.diskless.node~zeta", node("zeta", "52:54:00:00:00:01", null), MONDAY);
        NodeRecord newer = record("org.diskless.node~alpha", node("alpha", "52:54:00:00:00:01", null), TUESDAY);
        for (List<NodeRecord> order : List.of(List.of(older, newer), List.of(newer, older))) {
            NodeIndex.Built built = NodeIndex.build(order);
            assertEquals(List.of("zeta"), served(built));
            assertEquals(List.of(new Refusal("org.diskless.node~alpha", "mac", "MAC 52:54:00:00:00:01 is already"
                    + " used by node 'zeta' (etc/org.diskless.node-zeta.cfg), which serves as the one created"
                    + " earlier (2026-12-07T09:00:00Z); change or remove one of them")), built.refusals());
        }
    }

    @Test
    void aNodeWrittenByHandWithoutCreatedComesAfterEveryStampedOne() {
        NodeIndex.Built built = NodeIndex.build(List.of(
                record("p1", node("a", "52:54:00:00:00:01", null)),
                record("p2", node("b", "52:54:00:00:00:01", null), TUESDAY)));
        assertEquals(List.of("b"), served(built));
        assertEquals("p1", built.refusals().get(0).pid());
    }

    @Test
    void withoutADifferenceInCreatedTheNameThatSortsFirstServes() {
        NodeIndex.Built unstamped = NodeIndex.build(List.of(
                record("p1", node("Zed", "52:54:00:00:00:01", null)),
                record("p2", node("bob", "52:54:00:00:00:01", null))));
        assertEquals(List.of("bob"), served(unstamped), "names compare without case");
        assertEquals("p1", unstamped.refusals().get(0).pid());
        assertEquals(true, unstamped.refusals().get(0).reason().contains("first by name"),
                unstamped.refusals().toString());
        NodeIndex.Built sameTime = NodeIndex.build(List.of(
                record("p1", node("zed", "52:54:00:00:00:01", null), MONDAY),
                record("p2", node("bob", "52:54:00:00:00:01", null), MONDAY)));
        assertEquals(List.of("bob"), served(sameTime));
    }

    @Test
    void sameNameOrSameAddressIsRefusedNamingTheKey() {
        NodeIndex.Built built = NodeIndex.build(List.of(
                record("p1", node("a", "52:54:00:00:00:01", "10.0.0.1"), MONDAY),
                record("p2", node("A", "52:54:00:00:00:02", null), TUESDAY),
                record("p3", node("c", "52:54:00:00:00:03", "10.0.0.1"), TUESDAY)));
        assertEquals(List.of("name", "address"), built.refusals().stream().map(Refusal::key).toList());
        assertEquals(List.of("a"), served(built));
    }

    @Test
    void aRefusedRecordFreesNothingItDoesNotHold() {
        // b loses its MAC to the older a; c, younger than b but sharing only b's address, still serves.
        NodeIndex.Built built = NodeIndex.build(List.of(
                record("pa", node("a", "52:54:00:00:00:01", null), MONDAY),
                record("pb", node("b", "52:54:00:00:00:01", "10.0.0.2"), TUESDAY),
                record("pc", node("c", "52:54:00:00:00:03", "10.0.0.2"), TUESDAY.plusSeconds(1))));
        assertEquals(List.of("a", "c"), served(built));
    }

    @Test
    void aUuidClaimedTwiceFindsNobody() {
        List<NodeRecord> records = new ArrayList<>();
        records.add(record("p1", node("a", "52:54:00:00:00:01", null).toBuilder().uuid(UUID_A).build()));
        records.add(record("p2", node("b", "52:54:00:00:00:02", null).toBuilder().uuid(UUID_A).build()));
        NodeIndex.Built built = NodeIndex.build(records);
        assertEquals(Optional.empty(), built.index().byUuid(UUID_A));
        assertEquals(2, built.index().nodes().size(), "both still serve by MAC");
        assertEquals(1, built.warnings().size());
    }
}

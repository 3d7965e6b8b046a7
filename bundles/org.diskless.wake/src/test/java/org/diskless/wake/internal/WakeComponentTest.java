package org.diskless.wake.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.junit.jupiter.api.Test;

class WakeComponentTest {

    private static final Node A = Node.builder("a01", HardwareAddress.parse("52:54:00:00:00:01")).group("rack1")
            .bootFile("kernel", "images/vmlinuz").build();
    private static final Node B = Node.builder("b01", HardwareAddress.parse("52:54:00:00:00:02")).group("rack1").build();
    private static final Node C = Node.builder("c01", HardwareAddress.parse("52:54:00:00:00:03")).group("rack2").build();

    private final WakeComponent component = new WakeComponent(new NodeDirectory() {
        private final List<Node> all = List.of(A, B, C);

        @Override
        public Optional<Node> byHardwareAddress(HardwareAddress address) {
            return all.stream().filter(n -> n.hardwareAddress().equals(address)).findFirst();
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
            return all.stream().filter(n -> n.name().equals(name)).findFirst();
        }

        @Override
        public Collection<Node> nodes() {
            return all;
        }
    });

    @Test
    void nodesGroupsAndMacsResolveOnceEachInTheOrderGiven() {
        List<WakeTarget> targets = component.resolve(List.of("c01", "rack1", "a01", "52-54-00-00-00-02",
                "52:54:00:00:00:99"));

        assertEquals(List.of("c01", "a01", "b01", "52:54:00:00:00:99"), targets.stream().map(WakeTarget::name).toList());
        assertEquals(Optional.of("images/vmlinuz"), targets.get(1).kernel());
    }

    @Test
    void wordsThatNameNothingAreAllNamedAndNothingIsWoken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> component.resolve(List.of("a01", "rack9", "\u001b[2Jx")));

        assertTrue(e.getMessage().startsWith("No node or group named 'rack9', '\\x1b[2Jx'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("nothing was woken."), e.getMessage());
    }

    @Test
    void withoutTheInventoryOnlyMacsResolve() {
        WakeComponent alone = new WakeComponent((NodeDirectory) null);

        assertEquals(1, alone.resolve(List.of("52:54:00:00:00:01")).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> alone.resolve(List.of("a01")));
        assertTrue(e.getMessage().contains("diskless-nodes"), e.getMessage());
    }

    @Test
    void completionOffersNodesAndGroups() {
        assertEquals(List.of("a01", "b01", "c01", "rack1", "rack2"), List.copyOf(component.names()));
    }
}

package org.diskless.api.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.Test;

class NodeTest {

    private static final HardwareAddress MAC = HardwareAddress.parse("52:54:00:12:34:56");

    @Test
    void aCopyThroughTheBuilderIsEqualAndAChangedOneIsNot() throws Exception {
        Node node = Node.builder("n1", MAC).address(InetAddress.getByName("192.0.2.10"))
                .bootFile(BootRole.KERNEL, "vmlinuz").group("rack1").build();

        assertEquals(node, node.toBuilder().build());
        assertEquals(Map.of("kernel", "vmlinuz", "initrd", "initrd.gz"),
                node.toBuilder().bootFile(BootRole.INITRD, "initrd.gz").build().bootFiles());
        assertEquals(Optional.empty(), node.toBuilder().group(null).build().group());
    }

    @Test
    void aNodeNeedsANonBlankName() {
        assertThrows(IllegalArgumentException.class, () -> Node.of(" ", MAC));
    }

    @Test
    void rmpRolesAreNumberedFromOne() {
        assertEquals("rmp2", BootRole.rmp(2));
        assertEquals(Optional.of(2), BootRole.rmpIndex("rmp2"));
        assertEquals(Optional.empty(), BootRole.rmpIndex("rmp"));
        assertEquals(Optional.empty(), BootRole.rmpIndex("rmp02"));
        assertEquals(Optional.empty(), BootRole.rmpIndex("rmpx"));
        assertEquals(Optional.empty(), BootRole.rmpIndex(BootRole.KERNEL));
        assertThrows(IllegalArgumentException.class, () -> BootRole.rmp(0));
    }
}

package org.diskless.link.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;

import org.diskless.api.HardwareAddress;
import org.diskless.link.EthernetLinks;
import org.diskless.link.LinkException;
import org.junit.jupiter.api.Test;

class AfPacketLinksTest {

    private final AfPacketLinks links = new AfPacketLinks();

    @Test
    void missingInterfaceIsNamedInTheError() {
        LinkException e = assertThrows(LinkException.class,
                () -> links.open("nosuch-dl0", EthernetLinks.PROTOCOL_802_2, List.of()));
        assertEquals(LinkException.Reason.NO_SUCH_INTERFACE, e.reason());
        assertTrue(e.getMessage().contains("nosuch-dl0"), e.getMessage());
    }

    @Test
    void loopbackHasNoEthernetAddress() {
        LinkException e = assertThrows(LinkException.class,
                () -> links.open("lo", EthernetLinks.PROTOCOL_802_2, List.of()));
        assertEquals(LinkException.Reason.NO_SUCH_INTERFACE, e.reason());
    }

    @Test
    void protocolAndGroupsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> links.open("lo", 0x10000, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> links.open("lo", EthernetLinks.PROTOCOL_802_2, List.of(HardwareAddress.parse("01:02:03"))));
    }

    @Test
    void htonsSwapsOnLittleEndianHostsOnly() {
        int expected = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0x0400 : 0x0004;
        assertEquals(expected, LinuxSockets.htons(0x0004));
    }

    @Test
    void libcIsBoundOnLinux() {
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(LinuxSockets.unavailable().isEmpty(), () -> LinuxSockets.unavailable().get().toString());
        }
    }
}

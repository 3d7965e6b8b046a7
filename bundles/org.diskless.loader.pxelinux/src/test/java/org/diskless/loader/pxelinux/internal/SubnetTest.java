package org.diskless.loader.pxelinux.internal;

import static org.diskless.loader.pxelinux.internal.PxelinuxEntryTest.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SubnetTest {

    @Test
    void containsExactlyTheAddressesUnderItsPrefix() {
        Subnet subnet = Subnet.parse("192.0.2.16/28");
        assertTrue(subnet.contains(ipv4("192.0.2.16")));
        assertTrue(subnet.contains(ipv4("192.0.2.31")));
        assertFalse(subnet.contains(ipv4("192.0.2.32")));
        assertFalse(subnet.contains(ipv4("192.0.2.15")));
    }

    @Test
    void netmaskIsDottedAndHostBitsOfTheNetworkAreIgnored() {
        assertEquals("255.255.255.240", Subnet.parse("192.0.2.21/28").netmask());
        assertEquals("255.254.0.0", Subnet.parse("198.18.0.0/15").netmask());
        assertEquals("255.255.255.255", Subnet.parse("192.0.2.1/32").netmask());
        assertEquals("192.0.2.16/28 192.0.2.17", Subnet.parse(" 192.0.2.21/28   192.0.2.17 ").toString());
    }
}

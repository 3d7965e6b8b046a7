package org.diskless.api.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BootNetworkTest {

    private static Inet4Address ip(String text) throws Exception {
        return (Inet4Address) InetAddress.getByName(text);
    }

    @Test
    void aNetworkKnowsItsMaskGatewayAndMembers() throws Exception {
        BootNetwork lab = BootNetwork.builder("lab", ip("192.0.2.0"), 24).serverAddress(ip("192.0.2.1"))
                .routers(List.of(ip("192.0.2.254"))).build();

        assertEquals(ip("255.255.255.0"), lab.netmask());
        assertEquals(Optional.of(ip("192.0.2.254")), lab.gateway());
        assertTrue(lab.contains(ip("192.0.2.77")));
        assertFalse(lab.contains(ip("198.18.0.1")));
        assertEquals("192.0.2.0/24", lab.cidr());
    }

    @Test
    void hostBitsInTheNetworkAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BootNetwork.builder("x", ip("192.0.2.1"), 24).build());
    }

    @Test
    void theLongestPrefixWins() throws Exception {
        BootNetwork wide = BootNetwork.builder("wide", ip("198.18.0.0"), 15).build();
        BootNetwork rack = BootNetwork.builder("rack", ip("198.18.4.0"), 24).build();
        BootNetworks networks = () -> List.of(rack, wide);

        assertEquals(Optional.of(rack), networks.networkOf(ip("198.18.4.9")));
        assertEquals(Optional.of(wide), networks.networkOf(ip("198.19.0.1")));
        assertEquals(Optional.empty(), networks.networkOf(ip("192.0.2.1")));
    }
}

package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Who else holds a UDP port, as /proc/net/udp and udp6 say. */
class UdpListenersTest {

    private static final String UDP = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             7496: 0100007F:9C83 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 378908 2 00000000f6445e86 0
             7499: 00000000:0043 00000000:0000 07 00000000:00000000 00:00000000 00000000   108        0 378911 2 0000000039060f84 0
            """;
    private static final String UDP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             7497: 00000000000000000000000000000000:0FAB 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 378909 2 000000008c62cf00 0
             7498: 0000000000000000FFFF00000100007F:9C85 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 378910 2 000000007d3baae4 0
             7500: 000080FE00000000FF005452010000FE:0043 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 378912 2 000000007d3baae4 0
            """;

    @Test
    void ipv4SocketsAreReadWithTheirAddressPortOwnerAndInode() {
        assertEquals(List.of(new UdpListeners.Listener(ip("127.0.0.1"), 40067, 0, 378908),
                new UdpListeners.Listener(ip("0.0.0.0"), 67, 108, 378911)), UdpListeners.parse(UDP));
    }

    @Test
    void ipv6SocketsCountAsTheIpv4AddressesTheyReceive() {
        assertEquals(List.of(new UdpListeners.Listener(ip("0.0.0.0"), 4011, 0, 378909),
                new UdpListeners.Listener(ip("127.0.0.1"), 40069, 0, 378910)), UdpListeners.parse(UDP6),
                "the wildcard is dual-stack, a mapped address is its IPv4 address, a link-local one gets no DHCPv4");
    }

    @Test
    void aWildcardOverlapsEveryAddressAndASpecificOneOnlyItself() {
        UdpListeners.Listener any = new UdpListeners.Listener(ip("0.0.0.0"), 67, 0, 1);
        UdpListeners.Listener one = new UdpListeners.Listener(ip("192.0.2.1"), 67, 0, 2);

        assertTrue(any.overlaps(ip("192.0.2.1")));
        assertTrue(one.overlaps(ip("0.0.0.0")));
        assertTrue(one.overlaps(ip("192.0.2.1")));
        assertFalse(one.overlaps(ip("192.0.2.2")));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aSocketBoundWithSoReuseAddrIsFoundUnlessItIsOurs() throws Exception {
        try (DatagramSocket other = new DatagramSocket(null)) {
            other.setReuseAddress(true);
            other.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
            int port = other.getLocalPort();

            List<UdpListeners.Listener> found = UdpListeners.sharing(ip("0.0.0.0"), port, Set.of());

            assertEquals(1, found.size(), found::toString);
            assertEquals(List.of(), UdpListeners.sharing(ip("192.0.2.1"), port, Set.of()));
            assertEquals(List.of(), UdpListeners.sharing(ip("0.0.0.0"), port, Set.of(found.get(0).inode())));
        }
    }
}

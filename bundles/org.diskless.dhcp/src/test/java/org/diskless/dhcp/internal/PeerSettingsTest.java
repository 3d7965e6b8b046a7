package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class PeerSettingsTest {

    @Test
    void withoutPeersTheServerIsAlone() throws InvalidSettingException {
        PeerSettings peers = DhcpSettings.parse(Config.of(Map.of())).peers();
        assertTrue(peers.alone());
        assertEquals(3, peers.takeoverSeconds(), "RFC 3074's example service delay");
        assertEquals(647, peers.heartbeatPort());
        assertTrue(DhcpSettings.parse(Config.of(Map.of("peers", ""))).peers().alone());
    }

    @Test
    void peersAreAListOfAddresses() throws InvalidSettingException {
        PeerSettings peers = DhcpSettings.parse(Config.of(Map.of("peers", "192.0.2.2, 192.0.2.3",
                "peers.takeoverSeconds", "5", "peers.port", "6470"))).peers();
        assertEquals(List.of(ip("192.0.2.2"), ip("192.0.2.3")), peers.addresses());
        assertEquals(5, peers.takeoverSeconds());
        assertEquals(6470, peers.heartbeatPort());
    }

    @Test
    void unusablePeersAreRefusedNamingTheKey() {
        for (String bad : List.of("192.0.2.300", "0.0.0.0", "255.255.255.255", "192.0.2.2, 192.0.2.2", "peer.example")) {
            InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                    () -> DhcpSettings.parse(Config.of(Map.of("peers", bad))), bad);
            assertTrue(refused.getMessage().contains("peers"), refused.getMessage());
        }
        assertThrows(InvalidSettingException.class,
                () -> DhcpSettings.parse(Config.of(Map.of("peers.takeoverSeconds", "-1"))));
    }
}

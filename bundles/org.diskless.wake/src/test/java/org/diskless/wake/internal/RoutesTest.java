package org.diskless.wake.internal;

import static org.diskless.wake.internal.SecureOnPasswordTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.BootNetworks;
import org.junit.jupiter.api.Test;

class RoutesTest {

    private static final BootNetwork RACK = BootNetwork.builder("rack", ip("198.18.6.0"), 24).build();
    private static final BootNetwork LAB = BootNetwork.builder("lab", ip("198.18.0.0"), 16).build();
    private static final BootNetworks NETWORKS = () -> List.of(LAB, RACK);

    /** This host: br0 on the rack network, eth1 (no address) for the boot segment of everything else. */
    private static final LocalInterfaces HOST = new LocalInterfaces() {
        @Override
        public Optional<Local> in(BootNetwork network) {
            return network.equals(RACK) ? Optional.of(new Local("br0", Optional.of(ip("198.18.6.1"))))
                    : Optional.empty();
        }

        @Override
        public Optional<Local> named(String name) {
            return name.equals("eth1") ? Optional.of(new Local("eth1", Optional.empty())) : Optional.empty();
        }
    };

    @Test
    void aNodeOnABootNetworkGetsItsBroadcastOutOfOurInterfaceThere() {
        WakeRoute route = routes(Map.of()).of(node("198.18.6.21"));

        assertEquals(new WakeRoute(ip("198.18.6.255"), Optional.of(ip("198.18.6.1")), Optional.of("br0"),
                "network rack (198.18.6.0/24)"), route);
    }

    @Test
    void theLongestBootNetworkWinsAndOneWithoutOurAddressUsesTheConfiguredInterface() {
        WakeRoute route = routes(Map.of("interface", "eth1")).of(node("198.18.9.9"));

        assertEquals(ip("198.18.255.255"), route.broadcast());
        assertEquals(Optional.of("eth1"), route.interfaceName());
        assertEquals(Optional.empty(), route.source());
    }

    @Test
    void theOperatorsBroadcastForTheNetworkWins() {
        Routes routes = routes(Map.of("broadcasts", "198.18.6.0/25=198.18.6.127, 198.18.6.5/24=255.255.255.255"));

        assertEquals(ip("198.18.6.127"), routes.of(node("198.18.6.21")).broadcast(), "the longest prefix");
        assertEquals(ip("255.255.255.255"), routes.of(node("198.18.6.200")).broadcast());
    }

    @Test
    void theOperatorsBroadcastForTheInterfaceWins() {
        Routes routes = routes(Map.of("broadcasts", List.of("br0=255.255.255.255", "eth1=192.0.2.255"),
                "interface", "eth1"));

        assertEquals(ip("255.255.255.255"), routes.of(node("198.18.6.21")).broadcast());
        assertEquals(ip("192.0.2.255"), routes.of(WakeTarget.unknown(HardwareAddress.parse("52:54:00:00:00:09")))
                .broadcast());
    }

    @Test
    void aNodeWithoutAKnownNetworkGoesToTheLimitedBroadcast() {
        WakeRoute withInterface = routes(Map.of("interface", "eth1")).of(WakeTarget.unknown(
                HardwareAddress.parse("52:54:00:00:00:09")));
        assertEquals(new WakeRoute(ip("255.255.255.255"), Optional.empty(), Optional.of("eth1"), "no fixed address"),
                withInterface);

        WakeRoute outside = new Routes(settings(Map.of()), Optional.empty(), HOST).of(node("198.18.6.21"));
        assertEquals(new WakeRoute(ip("255.255.255.255"), Optional.empty(), Optional.empty(),
                "outside every boot network"), outside);
    }

    private static Routes routes(Map<String, ?> properties) {
        return new Routes(settings(properties), Optional.of(NETWORKS), HOST);
    }

    private static WakeTarget node(String address) {
        return new WakeTarget("node", HardwareAddress.parse("52:54:00:00:00:01"), Optional.of(ip(address)),
                Optional.empty());
    }

    static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

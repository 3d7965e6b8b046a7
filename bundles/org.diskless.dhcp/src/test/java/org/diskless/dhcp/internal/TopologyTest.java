package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

import org.junit.jupiter.api.Test;

/** Settings and subnets tied to this host's addresses. */
class TopologyTest {

    private static final LocalAddress ETH0 = new LocalAddress("eth0", Addresses.parse("192.0.2.1"), 24);
    private static final LocalAddress ETH1 = new LocalAddress("eth1", Addresses.parse("198.18.5.1"), 24);

    private static Subnet subnet(String name, Object... keysAndValues) throws InvalidSettingException {
        return Subnet.parse(name, Config.of(DhcpFixture.settings(keysAndValues)));
    }

    private static DhcpSettings settings(Object... keysAndValues) throws InvalidSettingException {
        return DhcpSettings.parse(Config.of(DhcpFixture.settings(keysAndValues)));
    }

    @Test
    void subnetAttachedToThisHostServesUnrelayedBroadcastsAndNamesOurAddress() throws InvalidSettingException {
        Subnet lab = subnet("lab", "network", "192.0.2.0/24");
        Subnet far = subnet("far", "network", "198.18.20.0/24");

        Topology topology = Topology.of(settings(), List.of(far, lab), List.of(ETH0));

        assertEquals(Optional.of(lab), topology.local());
        assertEquals(Optional.of(ETH0.address()), topology.serverId(Optional.of(lab)));
        assertEquals(Optional.of(ETH0.address()), topology.serverId(Optional.of(far)), "behind a relay: our default");
        assertEquals(Optional.of(far), topology.subnetOf(Addresses.parse("198.18.20.7")));
        assertTrue(topology.warnings().isEmpty());
    }

    @Test
    void eachAttachedSubnetIsServedFromOurAddressOnIt() throws InvalidSettingException {
        Subnet lab = subnet("lab", "network", "192.0.2.0/24");
        Subnet wire = subnet("wire", "network", "198.18.5.0/24");

        Topology topology = Topology.of(settings(), List.of(lab, wire), List.of(ETH0, ETH1));

        assertEquals(Optional.of(ETH1.address()), topology.serverId(Optional.of(wire)));
        assertEquals(1, topology.warnings().size(), "two attached subnets: the operator should pick an interface");
    }

    @Test
    void interfaceSettingChoosesTheBootNetwork() throws InvalidSettingException {
        Subnet lab = subnet("lab", "network", "192.0.2.0/24");
        Subnet wire = subnet("wire", "network", "198.18.5.0/24");

        Topology topology = Topology.of(settings("interface", "eth1"), List.of(lab, wire), List.of(ETH0, ETH1));

        assertEquals(Optional.of(wire), topology.local());
        assertTrue(topology.warnings().isEmpty());
    }

    @Test
    void nextServerIsTheSubnetsThenTheServersThenOurAddress() throws InvalidSettingException {
        Subnet own = subnet("own", "network", "192.0.2.0/24", "nextServer", "192.0.2.69");
        Subnet plain = subnet("plain", "network", "198.18.20.0/24");

        Topology configured = Topology.of(settings("nextServer", "192.0.2.70"), List.of(own, plain), List.of(ETH0));
        Topology bare = Topology.of(settings(), List.of(plain), List.of(ETH0));

        assertEquals(Optional.of(Addresses.parse("192.0.2.69")), configured.nextServer(Optional.of(own)));
        assertEquals(Optional.of(Addresses.parse("192.0.2.70")), configured.nextServer(Optional.of(plain)));
        assertEquals(Optional.of(ETH0.address()), bare.nextServer(Optional.of(plain)));
    }

    @Test
    void subnetRuleOnUnknownClientsComesBeforeTheServers() throws InvalidSettingException {
        Subnet open = subnet("open", "network", "192.0.2.0/24", "unknownClients", "allow");
        Subnet plain = subnet("plain", "network", "198.18.20.0/24");

        Topology topology = Topology.of(settings(), List.of(open, plain), List.of(ETH0));

        assertTrue(topology.allowsUnknown(Optional.of(open)));
        assertFalse(topology.allowsUnknown(Optional.of(plain)));
    }

    @Test
    void overlappingSubnetsAreRefused() throws InvalidSettingException {
        List<Subnet> subnets = List.of(subnet("a", "network", "192.0.2.0/24"), subnet("b", "network", "192.0.2.128/25"));

        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> Topology.of(settings(), subnets, List.of(ETH0)));

        assertTrue(refused.getMessage().startsWith("'network = 192.0.2.128/25'"), refused.getMessage());
    }

    @Test
    void missingInterfaceIsRefused() throws InvalidSettingException {
        DhcpSettings wlan = settings("interface", "wlan0");

        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> Topology.of(wlan, List.of(), List.of(ETH0)));

        assertTrue(refused.getMessage().startsWith("'interface = wlan0'"), refused.getMessage());
    }

    @Test
    void subnetWithoutAnyAddressOfOursIsRefused() throws InvalidSettingException {
        List<Subnet> far = List.of(subnet("far", "network", "198.18.20.0/24"));

        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> Topology.of(settings(), far, List.of()));

        assertTrue(refused.getMessage().startsWith("'serverAddress' (not set)"), refused.getMessage());
        assertEquals(Optional.of(Addresses.parse("192.0.2.1")),
                Topology.of(settings("serverAddress", "192.0.2.1"), far, List.of()).serverId(Optional.of(far.get(0))));
    }
}

package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class DnsmasqImporterTest {

    private static final String DNSMASQ_CONF = """
            # /etc/dnsmasq.d/lab.conf
            interface=eth1
            dhcp-range=192.168.20.50,192.168.20.150,12h
            dhcp-boot=pxelinux.0
            dhcp-host=52:54:00:bb:00:01,node01,192.168.20.11
            dhcp-host=node02,192.168.20.12,52:54:00:bb:00:02,set:compute,infinite
            dhcp-host=52:54:00:bb:00:03,192.168.20.13,45m
            dhcp-host=52:54:00:bb:00:04,52:54:00:bb:01:04,laptop,192.168.20.14
            dhcp-host=id:01:02:03:04,client-by-id,192.168.20.15
            dhcp-host=52:54:00:bb:00:06,ignore
            dhcp-host=52:54:00:*:*:*,set:qemu
            dhcp-host=52:54:00:bb:00:08,tag:!known,[fd00::8],node08
            #dhcp-host=52:54:00:bb:00:09,node09
            """;

    private final ImportResult result = new DnsmasqImporter().read(DNSMASQ_CONF.lines().toList());

    private Node node(String name) {
        return result.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readsFieldsInAnyOrder() {
        assertEquals(List.of("node01", "node02", "node-525400bb0003", "laptop", "node08"),
                result.nodes().stream().map(Node::name).toList());
        assertEquals("192.168.20.12", node("node02").address().get().getHostAddress());
        assertEquals(HardwareAddress.parse("52:54:00:bb:00:02"), node("node02").hardwareAddress());
    }

    @Test
    void theFirstSetTagBecomesTheGroup() {
        assertEquals(Optional.of("compute"), node("node02").group());
        assertEquals(Optional.empty(), node("node01").group());
    }

    @Test
    void aHostWithoutNameIsNamedAfterItsMac() {
        assertEquals("192.168.20.13", node("node-525400bb0003").address().get().getHostAddress());
    }

    @Test
    void keepsTheFirstMacAndReportsTheOthers() {
        assertEquals(HardwareAddress.parse("52:54:00:bb:00:04"), node("laptop").hardwareAddress());
        SkippedLine extra = result.skipped().stream().filter(s -> s.line() == 8).findFirst().orElseThrow();
        assertTrue(extra.reason().contains("52:54:00:bb:01:04"), extra.reason());
    }

    @Test
    void skipsClientIdsIgnoredHostsAndWildcards() {
        assertEquals(List.of(8, 9, 10, 11), result.skipped().stream().map(SkippedLine::line).toList());
        assertTrue(result.skipped().get(1).reason().contains("no MAC"), result.skipped().get(1).reason());
        assertTrue(result.skipped().get(2).reason().contains("ignore"), result.skipped().get(2).reason());
        assertTrue(result.skipped().get(3).reason().contains("wildcard"), result.skipped().get(3).reason());
    }
}

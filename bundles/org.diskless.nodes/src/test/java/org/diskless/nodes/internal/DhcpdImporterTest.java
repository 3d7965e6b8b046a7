package org.diskless.nodes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class DhcpdImporterTest {

    private static final String DHCPD_CONF = """
            # dhcpd.conf for the lab
            option domain-name "lab.example.org";
            default-lease-time 600;
            allow booting;

            subnet 192.168.10.0 netmask 255.255.255.0 {
              range 192.168.10.100 192.168.10.200;
              option routers 192.168.10.1;
              next-server 192.168.10.2;
              filename "pxelinux.0";          # BIOS clients by default

              host pc01 {
                hardware ethernet 52:54:00:aa:00:01;
                fixed-address 192.168.10.11;
              }

              group {
                filename "grubx64.efi";
                host pc02 { hardware ethernet 52:54:00:AA:00:02; fixed-address 192.168.10.12; }
                host "pc03" {
                  # moved to UEFI last week
                  hardware ethernet 52:54:00:aa:00:03;
                  fixed-address 192.168.10.13, 10.0.0.13;
                  option host-name "pc03";
                }
              }
            }

            host printer {
              hardware ethernet 00:1b:a9:01:02:03;
            }
            host ghost { fixed-address 192.168.10.99; }
            host byname { hardware ethernet 52:54:00:aa:00:05; fixed-address pc05.lab.example.org; }
            host ring { hardware token-ring 00:00:00:00:00:07; }
            """;

    private final ImportResult result = new DhcpdImporter().read(DHCPD_CONF.lines().toList());

    private Node node(String name) {
        return result.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readsHostsNestedInSubnetsAndGroups() {
        assertEquals(List.of("pc01", "pc02", "pc03", "printer"), result.nodes().stream().map(Node::name).toList());
        assertEquals(HardwareAddress.parse("52:54:00:aa:00:02"), node("pc02").hardwareAddress());
        assertEquals("192.168.10.11", node("pc01").address().get().getHostAddress());
    }

    @Test
    void takesTheFirstFixedAddress() {
        assertEquals("192.168.10.13", node("pc03").address().get().getHostAddress());
    }

    @Test
    void aHostInheritsTheFilenameOfItsInnermostScope() {
        assertEquals(Map.of("loader", "pxelinux.0"), node("pc01").bootFiles());
        assertEquals(Map.of("loader", "grubx64.efi"), node("pc02").bootFiles());
        assertEquals(Map.of("loader", "grubx64.efi"), node("pc03").bootFiles());
        assertEquals(Map.of(), node("printer").bootFiles());
        assertEquals(Optional.empty(), node("printer").address());
    }

    @Test
    void skipsHostsItCannotImportWithTheirLineAndWhy() {
        assertEquals(3, result.skipped().size(), result.skipped().toString());
        SkippedLine ghost = result.skipped().get(0);
        assertEquals(32, ghost.line());
        assertTrue(ghost.reason().contains("no 'hardware ethernet'"), ghost.reason());
        assertTrue(result.skipped().get(1).reason().contains("DNS name"), result.skipped().get(1).reason());
        assertTrue(result.skipped().get(2).reason().contains("token-ring"), result.skipped().get(2).reason());
    }
}

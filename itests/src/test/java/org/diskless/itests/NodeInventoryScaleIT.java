package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster-sized inventory in the running distribution: 5,000 hosts of a dhcpd.conf imported with
 * nodes:import, then the DHCP server offers the last of them its fixed address. Prints how long the
 * import took and how long until that offer came.
 */
class NodeInventoryScaleIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final int NODES = 5000;
    private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration SERVED_TIMEOUT = Duration.ofMinutes(8);

    @Test
    void fiveThousandNodesImportedFromADhcpdConfAndDhcpOffersTheLastOneItsAddress() throws IOException {
        DhcpClients clients = new DhcpClients(server, "python3-scapy", "/usr/bin/python3");
        server.setProperty("org.diskless.dhcp.cfg", "interface", "\"veth0\"");
        server.writeConfig("org.diskless.dhcp.subnet-scale.cfg", String.join("\n",
                "network = \"198.18.0.0/19\"",
                "range = \"198.18.30.1-198.18.30.50\"",
                "routers = \"198.18.5.1\"", ""));
        assertTrue(poll(Duration.ofSeconds(20), Duration.ofMillis(300), () -> server.shell("dhcp:pools"),
                out -> out.contains("198.18.0.0/19")).isPresent(), () -> server.shell("dhcp:pools"));
        Path dhcpdConf = server.clientDir().resolve("dhcpd-" + NODES + ".conf");
        Files.writeString(dhcpdConf, dhcpdConf(NODES));

        long started = System.nanoTime();
        Exec.Result imported = server.shellResult("nodes:import dhcpd " + dhcpdConf, IMPORT_TIMEOUT);
        long importedAt = System.nanoTime();
        assertTrue(imported.ok() && imported.stdout().contains("Imported " + NODES + " node(s)"), imported::describe);

        String lastMac = mac(NODES - 1);
        clients.macvlan("scale1", lastMac);
        try {
            Optional<String> offered = poll(SERVED_TIMEOUT, Duration.ofMillis(500),
                    () -> clients.scapy("discover", "--iface", "scale1", "--mac", lastMac, "--arch", "0", "--wait", "1"),
                    out -> out.contains(address(NODES - 1)));
            long offeredAt = System.nanoTime();
            assertTrue(offered.isPresent(), () -> "the last imported node was never offered " + address(NODES - 1)
                    + ":\n" + server.shell("dhcp:stats"));
            System.out.printf(Locale.ROOT, "%d nodes from dhcpd.conf: nodes:import took %.1f s; DHCP offered the last"
                    + " node its address %.1f s after the import began%n", NODES, (importedAt - started) / 1e9,
                    (offeredAt - started) / 1e9);
        } finally {
            clients.removeLinks("scale1");
        }
        try (var files = Files.list(server.etc())) {
            long nodeFiles = files.filter(f -> f.getFileName().toString().startsWith("org.diskless.node-")).count();
            assertTrue(nodeFiles == NODES, nodeFiles + " node files in etc/");
        }
    }

    /** Hosts with a fixed address each, inheriting the filename of their subnet, as a cluster's dhcpd.conf has them. */
    private static String dhcpdConf(int hosts) {
        StringBuilder conf = new StringBuilder("subnet 198.18.0.0 netmask 255.255.224.0 {\n  filename \"pxelinux.0\";\n");
        for (int i = 0; i < hosts; i++) {
            conf.append(String.format(Locale.ROOT, "  host scale%05d { hardware ethernet %s; fixed-address %s; }%n",
                    i, mac(i), address(i)));
        }
        return conf.append("}\n").toString();
    }

    private static String mac(int i) {
        return String.format(Locale.ROOT, "52:54:00:6b:%02x:%02x", i >> 8, i & 0xFF);
    }

    private static String address(int i) {
        return String.format(Locale.ROOT, "198.18.%d.%d", 8 + i / 250, 1 + i % 250);
    }
}

package org.diskless.nodes.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.nodes.FakeConfigurationAdmin;
import org.diskless.nodes.internal.NodeConfiguration;
import org.diskless.nodes.internal.NodeDirectoryComponent;
import org.diskless.nodes.internal.NodeRecordParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.ConfigurationEvent;

/**
 * A cluster-sized inventory: 5,000 hosts of a dhcpd.conf imported, each written to its file and
 * configuration, then one Config Admin event per node delivered to the directory. Prints how long
 * each part took (the figure README and the issue quote); what must hold at any speed is asserted.
 */
class ImportAtScaleTest {

    private static final int NODES = 5000;

    @TempDir
    Path etc;

    @Test
    void fiveThousandNodesFromADhcpdConfAreImportedAndTheLastOneIsServed() throws Exception {
        Path dhcpdConf = etc.resolveSibling(etc.getFileName() + "-dhcpd.conf");
        Files.writeString(dhcpdConf, dhcpdConf(NODES));
        FakeConfigurationAdmin configurationAdmin = new FakeConfigurationAdmin();
        NodeDirectoryComponent directory = new NodeDirectoryComponent(configurationAdmin.service());
        ImportCommand importer = new ImportCommand();
        importer.configurationAdmin = configurationAdmin.service();
        importer.format = "dhcpd";
        importer.file = dhcpdConf.toString();
        importer.etc = etc;
        importer.directory = directory; // told of the nodes below, one event each, as Config Admin would
        importer.servedWithin = Duration.ZERO;
        importer.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        long started = System.nanoTime();
        importer.execute();
        long imported = System.nanoTime();
        long readBefore = configurationAdmin.propertiesRead();
        for (String pid : configurationAdmin.contents().keySet()) {
            directory.configurationEvent(FakeConfigurationAdmin.event(ConfigurationEvent.CM_UPDATED,
                    NodeConfiguration.FACTORY_PID, pid));
        }
        long applied = System.nanoTime();

        System.out.printf(Locale.ROOT, "%d nodes from dhcpd.conf: import (parse, check, write %d files and"
                + " configurations) %d ms, directory (one event per node) %d ms%n", NODES, NODES,
                (imported - started) / 1_000_000, (applied - imported) / 1_000_000);
        try (var files = Files.list(etc)) {
            assertEquals(NODES, files.filter(f -> f.getFileName().toString().endsWith(".cfg")).count());
        }
        assertEquals(NODES, directory.nodes().size());
        assertEquals(NODES, configurationAdmin.propertiesRead() - readBefore, "one read per event, never all");
        Optional<Node> last = directory.byHardwareAddress(mac(NODES - 1));
        assertEquals(Optional.of(String.format(Locale.ROOT, "node%05d", NODES - 1)), last.map(Node::name));
        assertEquals(last, directory.byAddress(NodeRecordParser.ipv4(address(NODES - 1)).orElseThrow()));
        assertTrue(last.get().bootFiles().containsValue("pxelinux.0"), last.toString());
    }

    /** One subnet with a filename every host inherits, and a fixed address per host. */
    static String dhcpdConf(int hosts) {
        StringBuilder conf = new StringBuilder("subnet 10.20.0.0 netmask 255.255.0.0 {\n  filename \"pxelinux.0\";\n");
        for (int i = 0; i < hosts; i++) {
            conf.append(String.format(Locale.ROOT, "  host node%05d { hardware ethernet %s; fixed-address %s; }%n",
                    i, mac(i), address(i)));
        }
        return conf.append("}\n").toString();
    }

    static HardwareAddress mac(int i) {
        return HardwareAddress.parse(String.format(Locale.ROOT, "52:54:00:20:%02x:%02x", i >> 8, i & 0xFF));
    }

    static String address(int i) {
        return String.format(Locale.ROOT, "10.20.%d.%d", i / 250, 1 + i % 250);
    }
}

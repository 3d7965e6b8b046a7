package org.diskless.nodes.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The files {@code nodes:import} reads. */
public enum ImportFormat {
    DHCPD("ISC dhcpd.conf host declarations", DhcpdImporter::new),
    DNSMASQ("dnsmasq dhcp-host= lines", DnsmasqImporter::new),
    ETHERS("/etc/ethers (MAC and host name or IPv4 address)", EthersImporter::new),
    CLUSTERCONF("HP-UX /etc/clusterconf cnode entries", ClusterconfImporter::new),
    RBOOTD("BSD /etc/rbootd.conf (MAC and boot files)", RbootdImporter::new);

    private final String description;
    private final Supplier<NodeImporter> importer;

    ImportFormat(String description, Supplier<NodeImporter> importer) {
        this.description = description;
        this.importer = importer;
    }

    public String formatName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    public NodeImporter importer() {
        return importer.get();
    }

    public static Optional<ImportFormat> byName(String name) {
        return Arrays.stream(values()).filter(f -> f.formatName().equalsIgnoreCase(name.trim())).findFirst();
    }
}

package org.diskless.nfsroot.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.diskless.api.files.BootFileResolver;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.BootNetworks;
import org.diskless.api.nodes.Node;

/**
 * Everything the hints and checks look at, taken once per command so that one answer is
 * consistent: the settings, the nodes (in name order), the boot networks, the loaders running,
 * the host's exports, and the boot files (absent while the boot file service is not running).
 */
record Inventory(NfsRootSettings settings, List<Node> nodes, List<BootNetwork> networks, List<LoaderView> loaders,
                 ExportTable exports, Optional<BootFileResolver> bootFiles) {

    Inventory {
        nodes = List.copyOf(nodes);
        networks = List.copyOf(networks);
        loaders = List.copyOf(loaders);
    }

    /** The boot network holding an address, as the loaders pick it ({@link BootNetworks#networkOf}). */
    Optional<BootNetwork> networkOf(InetAddress address) {
        BootNetworks published = () -> networks;
        return published.networkOf(address);
    }
}

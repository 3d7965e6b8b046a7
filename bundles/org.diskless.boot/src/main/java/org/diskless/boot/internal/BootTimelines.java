package org.diskless.boot.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.diskless.api.nodes.Node;

/** What the boot:* commands read: the kept boots and the inventory they are shown against. */
public interface BootTimelines {

    /** A client by node name, MAC or IP address, as an operator types it. */
    Optional<ClientKey> find(String nameMacOrAddress);

    /** The kept boots of a client, newest first; empty if it was never heard from. */
    List<BootView> boots(ClientKey client);

    /** Every client's last boot, the most recently active first. */
    List<BootView> lastBoots();

    /** Every node of the inventory, in name order (empty without the inventory). */
    Collection<Node> nodes();

    /** The inventory node of a client, if it is one. */
    Optional<Node> nodeOf(ClientKey client);
}

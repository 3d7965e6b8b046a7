package org.diskless.dhcp.internal;

/** How the server takes part on a network. */
enum DhcpMode {
    /** The network's DHCP server: addresses from the subnets' pools, fixed addresses for nodes, boot answers. */
    SERVER,
    /**
     * Beside another DHCP server (RFC 4578, PXE 2.1 ProxyDHCP): no addresses, only the boot answer, on
     * port 67 to the PXE client's DISCOVER and on port 4011 to its REQUEST.
     */
    PROXY
}

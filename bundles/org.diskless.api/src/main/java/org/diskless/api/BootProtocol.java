package org.diskless.api;

/** The protocol through which a node asked for something; shown on the node's boot timeline. */
public enum BootProtocol {
    DHCP,
    PROXY_DHCP,
    TFTP,
    MTFTP,
    RMP,
    HTTP,
    NFS
}

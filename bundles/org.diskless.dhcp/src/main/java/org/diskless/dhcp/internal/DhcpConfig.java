package org.diskless.dhcp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * What an operator may set in {@code etc/org.diskless.dhcp.cfg}; read through {@link DhcpSettings}.
 * Subnets are separate factory configurations ({@link SubnetConfig}).
 */
@ObjectClassDefinition(name = "Diskless DHCP server", description = "PXE DHCP server or ProxyDHCP (RFC 2131,"
        + " 2132, 4578; PXE 2.1).")
@interface DhcpConfig {

    @AttributeDefinition(description = "server: hand out addresses from the subnets' pools and fixed addresses;"
            + " proxy: only the PXE boot answer, beside another DHCP server.",
            options = {@Option(label = "server", value = "server"), @Option(label = "proxy", value = "proxy")})
    String mode() default "server";

    @AttributeDefinition(description = "Local address to listen on. Keep 0.0.0.0: clients without an address"
            + " broadcast, and a socket bound to one address does not see broadcasts.")
    String address() default "0.0.0.0";

    @AttributeDefinition(description = "UDP port for DHCP requests (67).", min = "1", max = "65535")
    int port() default 67;

    @AttributeDefinition(description = "UDP port of the PXE boot server exchange (4011); 0 turns it off.",
            min = "0", max = "65535")
    int proxyPort() default 4011;

    @AttributeDefinition(description = "UDP port replies are sent to (68).", min = "1", max = "65535")
    int clientPort() default 68;

    @AttributeDefinition(required = false, description = "The boot network's interface: its subnet serves"
            + " broadcasts that no relay forwarded, and its address is the server identifier.")
    String interface$();

    @AttributeDefinition(required = false, description = "Our address as clients reach it (option 54); from the"
            + " interfaces when unset.")
    String serverAddress();

    @AttributeDefinition(required = false, description = "TFTP server named to clients (siaddr, option 66);"
            + " this server when unset.")
    String nextServer();

    @AttributeDefinition(description = "allow or deny clients that are not in the node inventory.",
            options = {@Option(label = "allow", value = "allow"), @Option(label = "deny", value = "deny")})
    String unknownClients() default "deny";

    @AttributeDefinition(description = "NAK requests for addresses that are not the client's to have, like"
            + " ISC dhcpd 'authoritative'. Turn off only beside another server on the same subnet.")
    boolean authoritative() default true;

    @AttributeDefinition(description = "What names a lease: clientId (option 61, else the MAC) or mac (the MAC"
            + " alone, for machines cloned from one image that all send the same option 61).",
            options = {@Option(label = "clientId", value = "clientId"), @Option(label = "mac", value = "mac")})
    String leaseKey() default "clientId";

    @AttributeDefinition(description = "Answer BOOTP requests (no DHCP message type: kernels booted with"
            + " ip=bootp, old boot ROMs) from inventory nodes with a fixed address, with that address and no lease."
            + " Server mode only; nodes without a fixed address and unknown machines never get a BOOTP answer.")
    boolean bootp() default true;

    @AttributeDefinition(description = "Lease time in seconds when the client asks for none.", min = "60")
    long leaseTime() default 3600;

    @AttributeDefinition(description = "Longest lease time in seconds a client may ask for.", min = "60")
    long maxLeaseTime() default 86400;

    @AttributeDefinition(description = "Seconds an offered address is held for the client.", min = "1", max = "3600")
    long offerHold() default 60;

    @AttributeDefinition(description = "Seconds a declined address (found in use) is kept out of the pool.", min = "1")
    long declineHold() default 3600;

    @AttributeDefinition(name = "bootFile.bios", required = false,
            description = "Boot file for BIOS PXE clients (architecture 0), e.g. pxelinux.0.")
    String bootFile_bios();

    @AttributeDefinition(name = "bootFile.efi32", required = false, description = "Boot file for x86 UEFI (6).")
    String bootFile_efi32();

    @AttributeDefinition(name = "bootFile.efi64", required = false, description = "Boot file for x64 UEFI (7 and 9).")
    String bootFile_efi64();

    @AttributeDefinition(name = "bootFile.arm32", required = false, description = "Boot file for ARM 32-bit UEFI (10).")
    String bootFile_arm32();

    @AttributeDefinition(name = "bootFile.arm64", required = false, description = "Boot file for ARM 64-bit UEFI (11).")
    String bootFile_arm64();

    @AttributeDefinition(name = "bootFile.http32", required = false, description = "URL for x86 UEFI HTTP boot (15).")
    String bootFile_http32();

    @AttributeDefinition(name = "bootFile.http64", required = false, description = "URL for x64 UEFI HTTP boot (16), or a path in the boot root: the URL is then made on the HTTP boot server (feature diskless-http).")
    String bootFile_http64();

    @AttributeDefinition(name = "bootFile.httpArm64", required = false, description = "URL for ARM 64-bit UEFI HTTP boot (19).")
    String bootFile_httpArm64();

    @AttributeDefinition(name = "loader.bios", required = false, description = "The boot loader (by name: pxelinux,"
            + " ipxe, grub, a third party's) asked first for BIOS clients, before bootFile.bios and whatever the"
            + " loaders' rankings say. loader.efi32, loader.arm32, loader.arm64, loader.http32, loader.httpArm64"
            + " likewise; a subnet's loader.<arch> and a node's bootloader role come first.")
    String loader_bios();

    @AttributeDefinition(name = "loader.efi64", required = false, description = "The boot loader asked first for x64"
            + " UEFI clients (7 and 9), e.g. grub.")
    String loader_efi64();

    @AttributeDefinition(name = "loader.http64", required = false, description = "The boot loader asked first for x64"
            + " UEFI HTTP boot clients (16).")
    String loader_http64();

    @AttributeDefinition(name = "bootFile.ipxe", required = false, description = "What iPXE clients (user class"
            + " iPXE) get, e.g. a script; never an iPXE binary, which would load itself forever.")
    String bootFile_ipxe();

    @AttributeDefinition(required = false, description = "PXE menu prompt shown by BIOS ROMs when pxeMenu.N entries"
            + " ('description | file', or '| local' to boot the disk) are set.")
    String pxePrompt();

    @AttributeDefinition(description = "Seconds the PXE prompt waits before the first menu entry boots.",
            min = "0", max = "255")
    int pxePromptTimeout() default 10;

    @AttributeDefinition(required = false, description = "The other Diskless servers on this segment, comma-separated:"
            + " the address each serves DHCP from. They share the lease store (PostgreSQL) and the clients by RFC 3074"
            + " load balancing; empty: this server answers every client.")
    String peers();

    @AttributeDefinition(name = "peers.takeoverSeconds", description = "A client that hashes to another server is"
            + " answered by this one once its secs field reaches this many seconds, or at once when that server is"
            + " down.", min = "0", max = "65535")
    int peers_takeoverSeconds() default 3;

    @AttributeDefinition(name = "peers.port", description = "UDP port the servers tell each other they are alive on"
            + " (647, the DHCP failover port). The same on every server.", min = "1", max = "65535")
    int peers_port() default 647;
}

package org.diskless.dhcp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One subnet: {@code etc/org.diskless.dhcp.subnet-<name>.cfg} or {@code config:edit --factory}. */
@ObjectClassDefinition(name = "Diskless DHCP subnet",
        description = "A network the DHCP server hands out addresses on, with its pool and options.")
@interface SubnetConfig {

    @AttributeDefinition(required = false, description = "Name shown by dhcp:pools; defaults to the configuration's name.")
    String name();

    @AttributeDefinition(description = "The network with its prefix, e.g. 192.0.2.0/24.")
    String network();

    @AttributeDefinition(required = false, description = "Dynamic address ranges, first-last, comma separated;"
            + " none means only nodes with a fixed address get one here.")
    String[] range();

    @AttributeDefinition(required = false, description = "Routers (option 3), comma separated.")
    String[] routers();

    @AttributeDefinition(required = false, description = "DNS servers (option 6), comma separated.")
    String[] dnsServers();

    @AttributeDefinition(required = false, description = "Domain name (option 15).")
    String domainName();

    @AttributeDefinition(required = false, description = "Lease time in seconds; the server's leaseTime when unset.")
    long leaseTime();

    @AttributeDefinition(required = false, description = "Our address as this subnet's clients reach it (option 54);"
            + " found from this host's interfaces when unset. Needed for subnets behind a relay.")
    String serverAddress();

    @AttributeDefinition(required = false, description = "TFTP server for this subnet's clients (siaddr); this server"
            + " when unset.")
    String nextServer();

    @AttributeDefinition(required = false, description = "allow or deny clients that are not in the node inventory;"
            + " the server's rule when unset.", options = {
            @org.osgi.service.metatype.annotations.Option(label = "allow", value = "allow"),
            @org.osgi.service.metatype.annotations.Option(label = "deny", value = "deny")})
    String unknownClients();

    @AttributeDefinition(name = "loader.efi64", required = false, description = "The boot loader asked first for this"
            + " subnet's x64 UEFI clients, e.g. grub; before the server's loader.efi64. loader.bios, loader.arm64,"
            + " loader.http64 and the other architectures of bootFile.<arch> likewise.")
    String loader_efi64();
}

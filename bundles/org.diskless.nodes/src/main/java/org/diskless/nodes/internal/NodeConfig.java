package org.diskless.nodes.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One node, as an operator writes it in {@code etc/org.diskless.node-<name>.cfg}; read through
 * {@link NodeRecordParser}, which checks every value.
 */
@ObjectClassDefinition(name = "Diskless node",
        description = "One machine of the inventory: how it is recognised on the wire and what it boots.")
@interface NodeConfig {

    @AttributeDefinition(description = "Host name, unique in the inventory (also the HP-UX cnode name).")
    String name();

    @AttributeDefinition(description = "MAC the node boots from, e.g. 52:54:00:12:34:56; unique.")
    String mac();

    @AttributeDefinition(required = false, description = "SMBIOS UUID (DHCP option 97), e.g."
            + " 4c4c4544-0042-3510-8052-b4c04f4b4d31.")
    String uuid();

    @AttributeDefinition(required = false, description = "Fixed IPv4 address; unique.")
    String address();

    @AttributeDefinition(required = false, min = "0", max = "65535", description = "Client architecture as a"
            + " DHCP option 93 code (0 BIOS, 7 x64 UEFI, 11 ARM64 UEFI) when the operator fixes it.")
    int architecture();

    @AttributeDefinition(required = false, cardinality = 100, description = "HP-UX context names, best first,"
            + " e.g. HP-MC68020, HP-MC68010.")
    String[] hardwareContexts();

    @AttributeDefinition(required = false, cardinality = 100, description = "Boot files, one role=path each,"
            + " e.g. kernel=vmlinuz, initrd=initrd.gz, append=console=ttyS0,115200.")
    String[] bootFiles();

    @AttributeDefinition(required = false, description = "Free-form group for the operator's own sorting.")
    String group();

    @AttributeDefinition(required = false, description = "When the node was first written (ISO-8601, e.g."
            + " 2026-12-07T10:15:30Z; set by nodes:add and nodes:import). Of two nodes claiming one name, MAC or"
            + " address, the one created first serves; without it a node comes after every one with it.")
    String created();
}

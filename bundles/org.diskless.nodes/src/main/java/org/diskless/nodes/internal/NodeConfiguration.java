package org.diskless.nodes.internal;

/**
 * The factory configuration that describes one node, as found in
 * {@code etc/org.diskless.node-<name>.cfg}: its PID and keys. Not exported: no bundle reads node
 * configurations but this one, and other bundles see nodes through {@code NodeDirectory}; the
 * keys an operator or a tool writes are documented in the README.
 */
public final class NodeConfiguration {

    /** Factory PID of node configurations; no {@code -}, as FileInstall splits file names on it. */
    public static final String FACTORY_PID = "org.diskless.node";

    /** Host name, unique in the inventory (required). */
    public static final String NAME = "name";
    /** Boot MAC, e.g. {@code 52:54:00:12:34:56} (required, unique). */
    public static final String MAC = "mac";
    /** SMBIOS UUID (DHCP option 97). */
    public static final String UUID = "uuid";
    /** Fixed IPv4 address (unique). */
    public static final String ADDRESS = "address";
    /** Client architecture, the DHCP option 93 code (0 BIOS, 7 x64 UEFI, ...). */
    public static final String ARCHITECTURE = "architecture";
    /** HP-UX context names, best first: a list, or one comma-separated string: {@code HP-MC68020,HP-MC68010}. */
    public static final String HARDWARE_CONTEXTS = "hardwareContexts";
    /**
     * Boot files, one {@code role=path} each: a list ({@code [ "kernel=vmlinuz", "append=console=ttyS0,115200" ]},
     * where a value may hold a comma), or one comma-separated string.
     */
    public static final String BOOT_FILES = "bootFiles";
    /** Free-form group. */
    public static final String GROUP = "group";
    /**
     * When the node was first written, an ISO-8601 instant ({@code 2026-12-07T10:15:30.123Z}); set by
     * nodes:add and nodes:import. Of two nodes claiming one name, MAC or address the one created first
     * serves; a node without it counts as created after every node with it.
     */
    public static final String CREATED = "created";

    private NodeConfiguration() {
    }
}

package org.diskless.nodes;

/**
 * The factory configuration that describes one node, as found in
 * {@code etc/org.diskless.node-<name>.cfg}. Tools that write nodes use these names.
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

    private NodeConfiguration() {
    }
}

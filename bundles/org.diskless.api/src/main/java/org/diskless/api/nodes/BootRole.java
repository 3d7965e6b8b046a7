package org.diskless.api.nodes;

import java.util.Optional;

/**
 * The role names a node's {@link Node#bootFiles() boot files} are filed under. Every protocol and
 * loader reads the same names, so an operator writes {@code bootFile.kernel = …} once.
 */
public final class BootRole {

    /** The Linux (or other) kernel a loader starts. */
    public static final String KERNEL = "kernel";
    /** The RAM disk handed to the kernel. */
    public static final String INITRD = "initrd";
    /** {@code server:/path} of the node's NFS root. */
    public static final String NFSROOT = "nfsroot";
    /** Extra kernel command-line arguments. */
    public static final String APPEND = "append";
    /** The first file the node's firmware loads, named in DHCP; wins over every loader plug-in. */
    public static final String LOADER = "loader";
    /** What a running iPXE gets instead of a loader (a script or URL; never an iPXE binary). */
    public static final String IPXE = "ipxe";

    private static final String RMP_PREFIX = "rmp";

    private BootRole() {
    }

    /** The role of the file an HP boot ROM lists in position {@code index} (1 = first). */
    public static String rmp(int index) {
        if (index < 1) {
            throw new IllegalArgumentException("RMP boot file positions start at 1, not " + index);
        }
        return RMP_PREFIX + index;
    }

    /** The position of an {@code rmp<N>} role, or empty for any other role. */
    public static Optional<Integer> rmpIndex(String role) {
        if (!role.startsWith(RMP_PREFIX) || role.length() == RMP_PREFIX.length()) {
            return Optional.empty();
        }
        String digits = role.substring(RMP_PREFIX.length());
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 4 || digits.charAt(0) == '0') {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(digits));
    }
}

package org.diskless.api.boot;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The protocol through which a node asked for something; shown on the node's boot timeline. An
 * open value: a third-party bundle names its own protocol with {@link #of} without an API release.
 */
public final class BootProtocol {

    public static final BootProtocol DHCP = new BootProtocol("DHCP");
    public static final BootProtocol PROXY_DHCP = new BootProtocol("PROXY_DHCP");
    public static final BootProtocol TFTP = new BootProtocol("TFTP");
    public static final BootProtocol MTFTP = new BootProtocol("MTFTP");
    public static final BootProtocol RMP = new BootProtocol("RMP");
    public static final BootProtocol HTTP = new BootProtocol("HTTP");
    public static final BootProtocol NFS = new BootProtocol("NFS");

    /** The constants, so that {@link #of} returns the same object for a known name. */
    private static final Map<String, BootProtocol> KNOWN = Stream.of(DHCP, PROXY_DHCP, TFTP, MTFTP, RMP, HTTP, NFS)
            .collect(Collectors.toUnmodifiableMap(BootProtocol::name, Function.identity()));

    private final String name;

    private BootProtocol(String name) {
        this.name = name;
    }

    /**
     * The protocol of that name: upper-case letters, digits and {@code _}, at most 32 characters
     * ({@code iscsi} becomes {@code ISCSI}), so names print the same everywhere.
     */
    public static BootProtocol of(String name) {
        String upper = OpenNames.canonical(name, "protocol name");
        return KNOWN.getOrDefault(upper, new BootProtocol(upper));
    }

    /** The upper-case name, e.g. {@code TFTP}. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BootProtocol other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}

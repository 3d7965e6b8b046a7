package org.diskless.dhcp.codec;

/** Option 94 (RFC 4578): interface type (1 = UNDI) and the UNDI version, such as 3.0 or 2.1. */
public record ClientNdi(int type, int major, int minor) {

    public ClientNdi {
        DhcpOptions.checkRange(type, 0, 255, "NDI type");
        DhcpOptions.checkRange(major, 0, 255, "NDI major version");
        DhcpOptions.checkRange(minor, 0, 255, "NDI minor version");
    }

    /** An UNDI interface of the given version. */
    public static ClientNdi undi(int major, int minor) {
        return new ClientNdi(1, major, minor);
    }
}

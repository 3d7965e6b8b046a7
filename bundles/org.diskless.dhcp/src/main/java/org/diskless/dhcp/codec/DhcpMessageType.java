package org.diskless.dhcp.codec;

/** Option 53, the DHCP message type of RFC 2132 section 9.6. */
public enum DhcpMessageType {
    DISCOVER(1), OFFER(2), REQUEST(3), DECLINE(4), ACK(5), NAK(6), RELEASE(7), INFORM(8);

    private final int code;

    DhcpMessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for a type outside 1-8 (such as the leasequery types) */
    public static DhcpMessageType valueOf(int code) {
        return switch (code) {
            case 1 -> DISCOVER;
            case 2 -> OFFER;
            case 3 -> REQUEST;
            case 4 -> DECLINE;
            case 5 -> ACK;
            case 6 -> NAK;
            case 7 -> RELEASE;
            case 8 -> INFORM;
            default -> throw new IllegalArgumentException("unknown DHCP message type " + code);
        };
    }

    /** True for the types a client sends. */
    public boolean fromClient() {
        return this == DISCOVER || this == REQUEST || this == DECLINE || this == RELEASE || this == INFORM;
    }
}

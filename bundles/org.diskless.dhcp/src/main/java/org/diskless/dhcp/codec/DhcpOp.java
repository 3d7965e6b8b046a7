package org.diskless.dhcp.codec;

/** The BOOTP {@code op} field: who sent the message. */
public enum DhcpOp {
    BOOTREQUEST(1), BOOTREPLY(2);

    private final int code;

    DhcpOp(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for any value but 1 and 2 */
    public static DhcpOp valueOf(int code) {
        return switch (code) {
            case 1 -> BOOTREQUEST;
            case 2 -> BOOTREPLY;
            default -> throw new IllegalArgumentException("BOOTP op is 1 (request) or 2 (reply), not " + code);
        };
    }
}

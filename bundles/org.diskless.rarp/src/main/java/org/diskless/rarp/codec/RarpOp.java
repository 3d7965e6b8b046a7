package org.diskless.rarp.codec;

/** The RARP operations (RFC 903): the ARP {@code ar$op} field's two values for reverse lookups. */
public enum RarpOp {
    /** "Who has this hardware address; what is its protocol address?" */
    REQUEST_REVERSE(3),
    /** The answer: the target's protocol address. */
    REPLY_REVERSE(4);

    private final int code;

    RarpOp(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * The operation for {@code code}.
     *
     * @throws RarpFormatException for any other value, the ARP operations 1 and 2 included: they do
     *                             not belong in a frame of the RARP EtherType
     */
    public static RarpOp valueOf(int code) throws RarpFormatException {
        for (RarpOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        throw new RarpFormatException("operation " + code + " is no RARP operation (3 request reverse, 4 reply reverse)");
    }
}

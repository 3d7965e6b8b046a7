package org.diskless.tftp.codec;

/** RFC 1350 opcodes plus OACK from RFC 2347. */
public enum TftpOpcode {
    RRQ(1), WRQ(2), DATA(3), ACK(4), ERROR(5), OACK(6);

    private final int code;

    TftpOpcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for a code TFTP does not define */
    public static TftpOpcode valueOf(int code) {
        return switch (code) {
            case 1 -> RRQ;
            case 2 -> WRQ;
            case 3 -> DATA;
            case 4 -> ACK;
            case 5 -> ERROR;
            case 6 -> OACK;
            default -> throw new IllegalArgumentException("unknown TFTP opcode " + code);
        };
    }
}

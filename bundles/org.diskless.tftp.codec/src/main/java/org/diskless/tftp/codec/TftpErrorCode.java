package org.diskless.tftp.codec;

/** RFC 1350 error codes plus 8 (option refused) from RFC 2347. */
public enum TftpErrorCode {
    NOT_DEFINED(0),
    FILE_NOT_FOUND(1),
    ACCESS_VIOLATION(2),
    DISK_FULL(3),
    ILLEGAL_OPERATION(4),
    UNKNOWN_TRANSFER_ID(5),
    FILE_EXISTS(6),
    NO_SUCH_USER(7),
    OPTION_REFUSED(8);

    private final int code;

    TftpErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Codes outside 0–8 occur in the wild; they read as {@link #NOT_DEFINED}. */
    public static TftpErrorCode valueOf(int code) {
        TftpErrorCode[] all = values();
        return code >= 0 && code < all.length ? all[code] : NOT_DEFINED;
    }
}

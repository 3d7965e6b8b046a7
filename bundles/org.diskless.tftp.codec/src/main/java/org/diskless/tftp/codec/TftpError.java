package org.diskless.tftp.codec;

import java.util.Objects;

/** ERROR: ends the transfer it belongs to. */
public record TftpError(int code, String message) implements TftpPacket {

    public TftpError {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("error code is 16 bits, not " + code);
        }
        Objects.requireNonNull(message, "message");
    }

    public TftpError(TftpErrorCode code, String message) {
        this(code.code(), message);
    }

    public TftpErrorCode errorCode() {
        return TftpErrorCode.valueOf(code);
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.ERROR;
    }
}

package org.diskless.tftp.internal;

import org.diskless.tftp.codec.TftpErrorCode;

/** A request answered with an ERROR instead of a transfer; the message goes to the client. */
final class RequestRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final TftpErrorCode code;

    RequestRefusedException(TftpErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    TftpErrorCode code() {
        return code;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected answer to a client, not a fault
    }
}

package org.diskless.link;

import java.io.IOException;

/** Why a port cannot be opened; the message says what the operator can do about it. */
public class LinkException extends IOException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The interface does not exist (in this network namespace) or has no Ethernet address. */
        NO_SUCH_INTERFACE,
        /** The process may not open raw sockets: it needs root or CAP_NET_RAW. */
        NOT_PERMITTED,
        /** Raw sockets are not available on this platform (not Linux, or no native support). */
        UNSUPPORTED,
        /** Any other failure of the operating system; the message carries its error. */
        FAILED
    }

    private final Reason reason;

    public LinkException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LinkException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

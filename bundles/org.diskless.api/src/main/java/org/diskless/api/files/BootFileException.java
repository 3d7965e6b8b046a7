package org.diskless.api.files;

/** Why a path cannot be served or written; each protocol maps the reason to its own error code. */
public class BootFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** No such file, in the tree or from a provider. */
        NOT_FOUND,
        /** The name is malformed: control characters, {@code ..}, empty. */
        INVALID_NAME,
        /** The name or a symbolic link leads outside the boot root. */
        OUTSIDE_ROOT,
        /** The file exists but this client may not have it, or it is not a regular readable file. */
        DENIED,
        /** An upload would replace an existing file. */
        ALREADY_EXISTS,
        /** The file system failed; the message says how. */
        IO_ERROR
    }

    private final Reason reason;

    public BootFileException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BootFileException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

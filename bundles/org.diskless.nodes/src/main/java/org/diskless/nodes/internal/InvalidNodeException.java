package org.diskless.nodes.internal;

/** A node description that cannot be used: which key, what value, and why. */
public final class InvalidNodeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    public InvalidNodeException(String key, Object value, String reason) {
        super(value == null ? "'" + key + "' " + reason : "'" + key + " = " + value + "': " + reason);
        this.key = key;
        this.reason = reason;
    }

    public String key() {
        return key;
    }

    public String reason() {
        return reason;
    }
}

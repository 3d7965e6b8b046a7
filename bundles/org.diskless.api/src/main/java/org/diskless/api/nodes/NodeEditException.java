package org.diskless.api.nodes;

import java.util.Objects;

/** A change of the inventory refused: why, and which setting it is about. */
public final class NodeEditException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a change was refused. */
    public enum Reason {
        /** A setting is missing or malformed. */
        INVALID,
        /** Another node already holds the name, MAC or address. */
        TAKEN,
        /** No node of that name. */
        UNKNOWN
    }

    private final Reason reason;
    private final String key;

    /**
     * @param key     the setting the refusal is about ({@code name}, {@code mac}, …)
     * @param message what is wrong and what to do, for the operator
     */
    public NodeEditException(Reason reason, String key, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.reason = Objects.requireNonNull(reason, "reason");
        this.key = Objects.requireNonNull(key, "key");
    }

    public Reason reason() {
        return reason;
    }

    /** The setting the refusal is about. */
    public String key() {
        return key;
    }
}

package org.diskless.support.config;

import org.diskless.support.log.Printable;

/**
 * A value an operator wrote that cannot be used: the message names the key, the value as written
 * (escaped and capped, since a .cfg file may hold anything) and what would be accepted.
 */
public final class InvalidSettingException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int MAX_VALUE_CHARS = 200;

    private final String key;

    public InvalidSettingException(String key, Object value, String why) {
        super("'" + key + " = " + Printable.of(String.valueOf(value), MAX_VALUE_CHARS) + "': " + why);
        this.key = key;
    }

    /** The key whose value was refused. */
    public String key() {
        return key;
    }
}

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

    /** A value whose key names a password or secret is never repeated: the message goes to the log. */
    public InvalidSettingException(String key, Object value, String why) {
        super("'" + key + " = " + (isSecret(key) ? "(not shown)" : Printable.of(String.valueOf(value), MAX_VALUE_CHARS))
                + "': " + why);
        this.key = key;
    }

    /** True for keys such as {@code secureOnPassword} or {@code secureOnPassword.node07}. */
    public static boolean isSecret(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("password") || lower.contains("secret");
    }

    /** The key whose value was refused. */
    public String key() {
        return key;
    }
}

package org.diskless.support.config;

import org.diskless.support.log.Printable;

/**
 * A value an operator wrote that cannot be used: the message names the key, the value as written
 * (escaped and capped, since a .cfg file may hold anything) and what would be accepted.
 */
public final class InvalidSettingException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int MAX_VALUE_CHARS = 200;
    private static final int MAX_KEY_CHARS = 100;

    private final String key;

    /** A value whose key names a password or secret is never repeated: the message goes to the log. */
    public InvalidSettingException(String key, Object value, String why) {
        super(shown(key, value) + ": " + why);
        this.key = key;
    }

    /**
     * The key and its value as every refusal shows them: {@code 'port = 70000'}, escaped and
     * capped; {@code 'network' (not set)} for a value that is missing or blank, which would
     * otherwise read as a line cut short.
     */
    static String shown(String key, Object value) {
        String text = value == null ? "" : String.valueOf(value);
        String printableKey = Printable.of(key, MAX_KEY_CHARS);
        if (text.isBlank()) {
            return "'" + printableKey + "' (not set)";
        }
        return "'" + printableKey + " = " + (isSecret(key) ? "(not shown)" : Printable.of(text, MAX_VALUE_CHARS)) + "'";
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

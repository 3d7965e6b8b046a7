package org.diskless.dhcp.internal;

/** A value an operator wrote that cannot be used, with the key and why. */
final class InvalidSettingException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidSettingException(String key, Object value, String why) {
        super("'" + key + " = " + value + "': " + why);
    }
}

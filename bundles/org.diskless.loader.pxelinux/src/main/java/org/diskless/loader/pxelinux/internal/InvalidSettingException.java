package org.diskless.loader.pxelinux.internal;

/** A configuration value that cannot be used, with the key it came from and why. */
final class InvalidSettingException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidSettingException(String key, Object value, String reason) {
        super("'" + key + "' = '" + value + "': " + reason);
    }
}

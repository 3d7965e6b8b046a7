package org.diskless.wake.internal;

import java.util.Arrays;

/**
 * A SecureOn password: the 4 or 6 bytes that follow the 16 copies of the MAC in a magic packet, for
 * network cards that wake only when they match. It is a secret, so no text this class makes shows
 * it: {@link #toString()} says only how long it is.
 */
public final class SecureOnPassword {

    private static final String FORMS = "six hex pairs such as 01:02:03:04:05:06, or four bytes written as"
            + " 1.2.3.4 or 01:02:03:04";

    private final byte[] bytes;

    private SecureOnPassword(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The password as bytes; 4 or 6 of them. */
    public static SecureOnPassword of(byte[] bytes) {
        if (bytes.length != 4 && bytes.length != 6) {
            throw new IllegalArgumentException("a SecureOn password has 4 or 6 bytes, not " + bytes.length);
        }
        return new SecureOnPassword(bytes.clone());
    }

    /**
     * Reads the forms ether-wake and the card vendors' tools use: six (or four) hex pairs separated
     * by {@code :} or {@code -}, or four decimal bytes separated by dots. The exception's message
     * never repeats the text, which may be a password with a typo in it.
     */
    public static SecureOnPassword parse(String text) {
        String trimmed = text.trim();
        if (trimmed.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            byte[] out = new byte[4];
            String[] parts = trimmed.split("\\.");
            for (int i = 0; i < 4; i++) {
                int value = Integer.parseInt(parts[i]);
                if (value > 255) {
                    throw new IllegalArgumentException("not a SecureOn password (a dotted byte is above 255): " + FORMS);
                }
                out[i] = (byte) value;
            }
            return new SecureOnPassword(out);
        }
        String[] pairs = trimmed.split("[:-]", -1);
        if ((pairs.length == 4 || pairs.length == 6)
                && Arrays.stream(pairs).allMatch(p -> p.matches("[0-9a-fA-F]{1,2}"))) {
            byte[] out = new byte[pairs.length];
            for (int i = 0; i < pairs.length; i++) {
                out[i] = (byte) Integer.parseInt(pairs[i], 16);
            }
            return new SecureOnPassword(out);
        }
        throw new IllegalArgumentException("not a SecureOn password: " + FORMS);
    }

    public int length() {
        return bytes.length;
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureOnPassword other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** {@code SecureOn password (6 bytes)}: never the bytes themselves. */
    @Override
    public String toString() {
        return "SecureOn password (" + bytes.length + " bytes)";
    }
}

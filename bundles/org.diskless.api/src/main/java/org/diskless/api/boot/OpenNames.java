package org.diskless.api.boot;

import java.util.Locale;
import java.util.Objects;

/** The one rule for the names of open values ({@link BootProtocol}, {@link BootEvent.Kind}). */
final class OpenNames {

    private static final int MAX_LENGTH = 32;

    private OpenNames() {
    }

    /**
     * {@code name} trimmed and upper-cased; refused unless it is 1-32 letters, digits or {@code _},
     * so that a name prints the same on every console and in every log.
     */
    static String canonical(String name, String what) {
        Objects.requireNonNull(name, what);
        String upper = name.trim().toUpperCase(Locale.ROOT);
        if (upper.isEmpty() || upper.length() > MAX_LENGTH
                || !upper.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
            throw new IllegalArgumentException("a " + what + " is 1-" + MAX_LENGTH
                    + " letters, digits or '_', not '" + name + "'");
        }
        return upper;
    }
}

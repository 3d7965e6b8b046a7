package org.diskless.dhcp.internal;

/**
 * Text from the network made safe to keep and to show: control characters escaped, so a terminal
 * or a log viewer never receives an escape sequence from a client, and the length capped, so what
 * a client sends costs us a bounded amount of memory however long it was.
 */
final class Printable {

    /** What any detail taken from a packet is cut to. */
    static final int DETAIL_CHARS = 256;

    private Printable() {
    }

    /**
     * {@code text} with every control character, C0 and C1, written as a backslash escape
     * ({@code \x1b}; {@code \\} for the backslash itself), cut to at most {@code maxChars}
     * characters; a cut text ends with {@code …}.
     */
    static String of(CharSequence text, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1: " + maxChars);
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 8);
        // The longest output that still leaves room for the ellipsis, at a boundary between units.
        int fits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c >= 0x80 && c < 0xA0 || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                // C1 controls, Unicode line breaks and a lone half of a surrogate pair.
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
            if (out.length() > maxChars) {
                out.setLength(fits);
                return out.append('…').toString();
            }
            if (out.length() < maxChars) {
                fits = out.length();
            }
        }
        return out.toString();
    }
}

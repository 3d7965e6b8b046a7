package org.diskless.support.log;

/**
 * Text from the network or a file, made safe to log or show on a console: control characters
 * (C0, DEL, C1) and the Unicode controls that reorder or hide text are written as escapes, so a
 * client can never send a terminal an escape sequence or forge a log line; and the length is
 * capped, so whatever a client sends costs a bounded line.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code text} escaped and cut to at most {@code maxChars} characters of output, plus a marker. */
    public static String of(CharSequence text, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        }
        if (text == null) {
            return "null";
        }
        int length = text.length();
        if (length <= maxChars && isClean(text)) {
            return text.toString();
        }
        StringBuilder out = new StringBuilder(Math.min(length, maxChars) + 16);
        int i = 0;
        while (i < length && out.length() < maxChars) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape == null) {
                out.append(c);
            } else if (out.length() + escape.length() <= maxChars) {
                out.append(escape);
            } else {
                break;
            }
            i++;
        }
        if (i < length) {
            out.append("…(").append(length - i).append(" more)");
        }
        return out.toString();
    }

    private static boolean isClean(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (escape(text.charAt(i)) != null) {
                return false;
            }
        }
        return true;
    }

    private static String escape(char c) {
        if (c < 0x20 || c == 0x7f) {
            return switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.format("\\x%02x", (int) c);
            };
        }
        if (c == '\\') {
            return "\\\\";
        }
        if ((c >= 0x80 && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff) {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }
}

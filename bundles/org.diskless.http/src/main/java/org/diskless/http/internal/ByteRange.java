package org.diskless.http.internal;

import java.util.Optional;

/**
 * The one byte range a request asks for (RFC 9110 section 14): {@code bytes=first-last},
 * {@code bytes=first-} or {@code bytes=-suffix}. Several ranges, another unit or a malformed
 * header are ignored, as the RFC allows, and the whole file is sent: boot clients ask for one range
 * (a resumed download), and a multipart answer is what no firmware reads.
 *
 * @param first the first byte sent
 * @param last  the last byte sent, inclusive
 */
record ByteRange(long first, long last) {

    /** What a {@code Range} header means for a file of some size. */
    sealed interface Outcome permits Whole, Part, Unsatisfiable {
    }

    /** No usable range: the whole file, 200. */
    record Whole() implements Outcome {
    }

    /** A range inside the file: 206. */
    record Part(ByteRange range) implements Outcome {
    }

    /** A well-formed range that starts past the end: 416. */
    record Unsatisfiable() implements Outcome {
    }

    private static final String UNIT = "bytes=";
    /** More digits than a long holds is a malformed header, not an overflow. */
    private static final int MAX_DIGITS = 18;

    long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value of this range of a file of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    static Outcome of(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Whole();
        }
        String value = header.get().trim();
        if (!value.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
            return new Whole();
        }
        String spec = value.substring(UNIT.length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) {
            return new Whole();
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        if (from.isEmpty()) {
            long suffix = digits(to);
            if (suffix <= 0) {
                return suffix == 0 ? new Unsatisfiable() : new Whole();
            }
            return size == 0 ? new Unsatisfiable() : new Part(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = digits(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : digits(to);
        if (first < 0 || last < 0 || last < first) {
            return new Whole();
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Part(new ByteRange(first, Math.min(last, size - 1)));
    }

    /** The number {@code text} spells in decimal digits, or -1. */
    private static long digits(String text) {
        if (text.isEmpty() || text.length() > MAX_DIGITS) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }
}

package org.diskless.tftp.codec;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * How the numbers of RFC 2347 options (blksize, tsize, timeout, windowsize) are read, the same in
 * the TFTP and MTFTP servers. A value that is no number ({@code tsize enable}, as atftp sends when
 * told {@code --option "tsize enable"}) is an option the server cannot read: it is left out of the
 * OACK and the file is served, as tftpd-hpa does, rather than refused with ERROR 8.
 */
public final class TftpOptionValues {

    private static final Pattern NUMBER = Pattern.compile("\\s*[+-]?[0-9]+\\s*");

    private TftpOptionValues() {
    }

    /**
     * The whole number an option value writes, however large (one beyond a long counts as the
     * largest, or the smallest when negative); empty when the value is no number.
     */
    public static OptionalLong number(String value) {
        if (value == null || !NUMBER.matcher(value).matches()) {
            return OptionalLong.empty();
        }
        String digits = value.trim();
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return OptionalLong.of(digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE);
        }
    }
}

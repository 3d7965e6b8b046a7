package org.diskless.tftp.internal;

import org.diskless.support.log.Printable;

/**
 * How much of a text that came from the network — a file name, a mode, an option value, a
 * client's error message — TFTP logs, shows in {@code tftp:transfers}, records in a boot event or
 * sends back in an ERROR: escaped, and cut to a length that still names any real boot file.
 */
final class NetworkText {

    static final int MAX_CHARS = 128;

    private NetworkText() {
    }

    static String shown(String text) {
        return Printable.of(text, MAX_CHARS);
    }
}

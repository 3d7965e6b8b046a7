package org.diskless.mtftp.internal;

import org.diskless.support.log.Printable;

/**
 * How much of a text from the network (a file name, a client's error message) MTFTP logs, shows,
 * records in a boot event or sends back: escaped, and cut to a length that still names any real
 * boot file.
 */
final class NetworkText {

    static final int MAX_CHARS = 128;

    private NetworkText() {
    }

    static String shown(String text) {
        return Printable.of(text, MAX_CHARS);
    }
}

package org.diskless.rmp.internal;

import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;
import org.diskless.support.bootconf.LinkAddresses;

/** Spellings of HP-UX boottab (clusterconf and rbootd.conf are read by the shared parsers). */
final class ConfigLines {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private ConfigLines() {
    }

    /** The line up to its {@code #} comment. */
    static String uncommented(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    /** A link-level address as HP-UX boottab writes it: 12 hex digits, optionally with {@code 0x}; or colon octets. */
    static Optional<HardwareAddress> hpAddress(String text) {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        return LinkAddresses.twelveDigits(digits).or(() -> LinkAddresses.colonOctets(text));
    }

    static boolean isHostName(String text) {
        return HOST_NAME.matcher(text).matches();
    }
}

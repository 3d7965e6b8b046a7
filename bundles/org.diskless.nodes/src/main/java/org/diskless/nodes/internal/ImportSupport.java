package org.diskless.nodes.internal;

import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;

/** Spellings shared by the importers. */
final class ImportSupport {

    /** Six colon-separated octets of zero to two hex digits: {@code 8:0:20:1:2:3}, {@code 8::9:1:C6:75}. */
    private static final Pattern SHORT_OCTETS = Pattern.compile(
            "\\p{XDigit}{0,2}(?::\\p{XDigit}{0,2}){5}");

    private ImportSupport() {
    }

    /**
     * An Ethernet MAC as old Unix files write it: octets may drop their leading zero, and rbootd
     * even accepts an empty octet for zero. Other spellings go to {@link HardwareAddress#parse}.
     */
    static Optional<HardwareAddress> mac(String text) {
        String trimmed = text.trim();
        if (SHORT_OCTETS.matcher(trimmed).matches()) {
            StringBuilder hex = new StringBuilder();
            for (String octet : trimmed.split(":", -1)) {
                hex.append("00", 0, 2 - octet.length()).append(octet);
            }
            return Optional.of(HardwareAddress.ethernet(HexFormat.of().parseHex(hex)));
        }
        try {
            HardwareAddress mac = HardwareAddress.parse(trimmed);
            return mac.length() == 6 && mac.type() == HardwareAddress.ETHERNET ? Optional.of(mac) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A name for a node its file does not name: {@code node-525400123456}. */
    static String derivedName(HardwareAddress mac) {
        return "node-" + HexFormat.of().formatHex(mac.toByteArray());
    }

    /** The line without its {@code #} comment. */
    static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}

package org.diskless.rmp.internal;

import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;

/** Spellings shared by the three configuration formats. */
final class ConfigLines {

    private static final Pattern BSD_OCTETS = Pattern.compile("\\p{XDigit}{0,2}(:\\p{XDigit}{0,2}){5}");
    private static final Pattern HP_LINK_ADDRESS = Pattern.compile("(0[xX])?\\p{XDigit}{12}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private ConfigLines() {
    }

    /** The line up to its {@code #} comment. */
    static String uncommented(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    /**
     * An address as rbootd.conf writes it: six octets of 0 to 2 hex digits separated by colons,
     * an empty octet meaning 0 ({@code 8::9:1:C6:75}).
     */
    static Optional<HardwareAddress> bsdAddress(String text) {
        if (!BSD_OCTETS.matcher(text).matches()) {
            return Optional.empty();
        }
        StringBuilder hex = new StringBuilder();
        for (String octet : text.split(":", -1)) {
            hex.append("00", 0, 2 - octet.length()).append(octet);
        }
        return Optional.of(HardwareAddress.ethernet(HexFormat.of().parseHex(hex)));
    }

    /** A link-level address as HP-UX writes it: 12 hex digits, optionally with {@code 0x}; or colon octets. */
    static Optional<HardwareAddress> hpAddress(String text) {
        if (HP_LINK_ADDRESS.matcher(text).matches()) {
            String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
            return Optional.of(HardwareAddress.ethernet(HexFormat.of().parseHex(digits)));
        }
        return bsdAddress(text);
    }

    static boolean isHostName(String text) {
        return HOST_NAME.matcher(text).matches();
    }
}

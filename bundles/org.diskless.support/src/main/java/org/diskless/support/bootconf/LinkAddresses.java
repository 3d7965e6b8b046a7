package org.diskless.support.bootconf;

import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;

/** Ethernet addresses as old Unix boot files spell them. */
public final class LinkAddresses {

    /** Six colon-separated octets of zero to two hex digits: {@code 8:0:20:1:2:3}, {@code 8::9:1:C6:75}. */
    private static final Pattern COLON_OCTETS = Pattern.compile("\\p{XDigit}{0,2}(?::\\p{XDigit}{0,2}){5}");
    private static final Pattern TWELVE_DIGITS = Pattern.compile("\\p{XDigit}{12}");

    private LinkAddresses() {
    }

    /**
     * An address as BSD rbootd.conf and ethers(5) write it: six octets separated by colons, each of
     * zero to two hex digits, an empty octet meaning 0.
     */
    public static Optional<HardwareAddress> colonOctets(String text) {
        if (!COLON_OCTETS.matcher(text).matches()) {
            return Optional.empty();
        }
        StringBuilder hex = new StringBuilder(12);
        for (String octet : text.split(":", -1)) {
            hex.append("00", 0, 2 - octet.length()).append(octet);
        }
        return Optional.of(HardwareAddress.ethernet(HexFormat.of().parseHex(hex)));
    }

    /** An address as HP-UX clusterconf and boottab write it: twelve hex digits, {@code 080009123456}. */
    public static Optional<HardwareAddress> twelveDigits(String text) {
        return TWELVE_DIGITS.matcher(text).matches()
                ? Optional.of(HardwareAddress.ethernet(HexFormat.of().parseHex(text))) : Optional.empty();
    }
}

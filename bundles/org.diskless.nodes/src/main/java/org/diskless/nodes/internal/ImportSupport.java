package org.diskless.nodes.internal;

import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.support.bootconf.LinkAddresses;
import org.diskless.support.bootconf.RbootdConf;

/** Spellings shared by the importers. */
final class ImportSupport {

    private ImportSupport() {
    }

    /**
     * An Ethernet MAC as old Unix files write it: octets may drop their leading zero, and rbootd
     * even accepts an empty octet for zero. Other spellings go to {@link HardwareAddress#parse}.
     */
    static Optional<HardwareAddress> mac(String text) {
        String trimmed = text.trim();
        Optional<HardwareAddress> octets = LinkAddresses.colonOctets(trimmed);
        if (octets.isPresent()) {
            return octets;
        }
        try {
            HardwareAddress mac = HardwareAddress.parse(trimmed);
            return mac.length() == 6 && mac.type() == HardwareAddress.ETHERNET ? Optional.of(mac) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * A name for a node its file does not name: {@code node-525400123456}, the name RMP gives a
     * machine of rbootd.conf too.
     */
    static String derivedName(HardwareAddress mac) {
        return RbootdConf.nameOf(mac);
    }

    /** The line without its {@code #} comment. */
    static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}

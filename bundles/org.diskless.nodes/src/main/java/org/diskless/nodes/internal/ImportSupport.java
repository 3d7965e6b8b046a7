package org.diskless.nodes.internal;

import java.util.List;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.Node;
import org.diskless.support.bootconf.LinkAddresses;
import org.diskless.support.bootconf.RbootdConf;
import org.diskless.support.config.InvalidSettingException;

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

    /**
     * Adds {@code node} read from {@code line}, or skips that line when the node's file could not
     * hold the node as it is: a value its configuration refuses, or one it would read back changed
     * (trimmed, say), which would turn the node into another at the next restart.
     */
    static void add(Node node, int line, List<ImportResult.Found> nodes, List<SkippedLine> skipped) {
        try {
            if (NodeRecordParser.parse(NodeRecordParser.toProperties(node)).equals(node)) {
                nodes.add(new ImportResult.Found(node, line));
            } else {
                skipped.add(new SkippedLine(line, node.name() + ": a node file cannot keep its values as they are"
                        + " (white space around a boot file or group?)"));
            }
        } catch (InvalidSettingException e) {
            skipped.add(new SkippedLine(line, node.name() + ": " + e.getMessage()));
        }
    }

    /** The line without its {@code #} comment. */
    static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}

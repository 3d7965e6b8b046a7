package org.diskless.api;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A link-layer address (Ethernet MAC for every protocol we serve today), as it appears in DHCP
 * {@code chaddr}, in RMP frames and in the node inventory.
 */
public final class HardwareAddress implements Comparable<HardwareAddress> {

    /** ARP hardware type of Ethernet, the {@code htype} DHCP clients send. */
    public static final int ETHERNET = 1;

    private static final int MAX_LENGTH = 16; // DHCP chaddr field size

    private final int type;
    private final byte[] bytes;

    private HardwareAddress(int type, byte[] bytes) {
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("hardware type out of range 0-255: " + type);
        }
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "hardware address must have 1 to " + MAX_LENGTH + " bytes, not " + bytes.length);
        }
        this.type = type;
        this.bytes = bytes;
    }

    public static HardwareAddress of(int type, byte[] bytes) {
        return new HardwareAddress(type, bytes.clone());
    }

    public static HardwareAddress ethernet(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("an Ethernet address has 6 bytes, not " + bytes.length);
        }
        return new HardwareAddress(ETHERNET, bytes.clone());
    }

    /**
     * Parses the spellings admins use: {@code 00:1a:2b:3c:4d:5e}, {@code 00-1A-2B-3C-4D-5E},
     * {@code 001a.2b3c.4d5e} and bare hex; and pxelinux's {@code 01-00-1a-…} (type prefix).
     */
    public static HardwareAddress parse(String text) {
        String trimmed = text.trim();
        String[] groups = trimmed.split("[:\\-.]");
        int type = ETHERNET;
        if (groups.length == 7 && groups[0].length() == 2) {
            type = Integer.parseInt(groups[0], 16);
            groups = Arrays.copyOfRange(groups, 1, groups.length);
        }
        StringBuilder hex = new StringBuilder();
        for (String group : groups) {
            if (groups.length == 6 && group.length() == 1) {
                hex.append('0'); // 0:1a:… as printed by some tools
            }
            hex.append(group);
        }
        if (hex.length() == 0 || hex.length() % 2 != 0) {
            throw new IllegalArgumentException("not a hardware address: '" + text
                    + "' (expected six hex pairs such as 52:54:00:12:34:56)");
        }
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hardware address: '" + text
                    + "' (expected six hex pairs such as 52:54:00:12:34:56)", e);
        }
        return new HardwareAddress(type, bytes);
    }

    public int type() {
        return type;
    }

    public int length() {
        return bytes.length;
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The name pxelinux looks up for this address: {@code 01-52-54-00-12-34-56}. */
    public String toPxelinuxName() {
        return String.format(Locale.ROOT, "%02x-", type) + HexFormat.ofDelimiter("-").formatHex(bytes);
    }

    @Override
    public int compareTo(HardwareAddress other) {
        int byType = Integer.compare(type, other.type);
        return byType != 0 ? byType : Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HardwareAddress other && type == other.type && Arrays.equals(bytes, other.bytes);
    }

    /**
     * Spreads every byte over the whole hash. {@code Arrays.hashCode} does not: MACs of one vendor
     * differ only in their last bytes, and its factor 31 maps thousands of them onto the same few
     * values, so hash maps keyed by address (leases, boot timelines) degrade into long bins.
     */
    @Override
    public int hashCode() {
        long folded = type;
        for (byte b : bytes) {
            folded = (folded ^ (b & 0xff)) * 0x100000001b3L; // FNV-1a step: each byte moves every bit above it
        }
        // Murmur3's 64-bit finalizer: the high bits, which only the first bytes reach, come down too.
        folded = (folded ^ (folded >>> 33)) * 0xff51afd7ed558ccdL;
        folded = (folded ^ (folded >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return (int) (folded ^ (folded >>> 33));
    }

    /** Lower-case, colon separated: {@code 52:54:00:12:34:56}. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}

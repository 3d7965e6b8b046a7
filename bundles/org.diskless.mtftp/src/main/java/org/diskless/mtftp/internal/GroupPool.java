package org.diskless.mtftp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * The multicast groups RFC 2090 sessions are given, one session per group at a time, written as
 * addresses and {@code first-last} ranges separated by commas.
 */
record GroupPool(List<Inet4Address> groups) {

    /** A pool is a handful of groups; this many keeps a typo such as 239.0.0.0-239.255.255.255 from costing memory. */
    static final int MAX_GROUPS = 4096;

    GroupPool {
        groups = List.copyOf(groups);
    }

    static GroupPool parse(String key, String text) throws InvalidSettingException {
        Set<Inet4Address> groups = new LinkedHashSet<>();
        for (String item : text.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int dash = trimmed.indexOf('-');
            long first = value(key, trimmed, dash < 0 ? trimmed : trimmed.substring(0, dash));
            long last = dash < 0 ? first : value(key, trimmed, trimmed.substring(dash + 1));
            if (last < first) {
                throw new InvalidSettingException(key, trimmed, "a range goes from its lower address to its higher");
            }
            if (groups.size() + (last - first + 1) > MAX_GROUPS) {
                throw new InvalidSettingException(key, text, "more than " + MAX_GROUPS + " groups");
            }
            for (long a = first; a <= last; a++) {
                Inet4Address group = address(a);
                if (!groups.add(group)) {
                    throw new InvalidSettingException(key, trimmed, group.getHostAddress() + " is listed twice");
                }
            }
        }
        return new GroupPool(new ArrayList<>(groups));
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    int size() {
        return groups.size();
    }

    @Override
    public String toString() {
        return groups.isEmpty() ? "none" : groups.get(0).getHostAddress() + (groups.size() == 1 ? ""
                : " and " + (groups.size() - 1) + " more");
    }

    private static long value(String key, String item, String text) throws InvalidSettingException {
        Inet4Address address = Config.of(Map.of(key, text.trim())).ipv4(key).orElseThrow(
                () -> new InvalidSettingException(key, item, "not an IPv4 address (a.b.c.d)"));
        if (!address.isMulticastAddress()) {
            throw new InvalidSettingException(key, item, text.trim() + " is not a multicast group (224.0.0.0-"
                    + "239.255.255.255; 239.255.x.y is for a site's own use)");
        }
        if (FileSettings.isLocalControl(address)) {
            throw new InvalidSettingException(key, item, FileSettings.LOCAL_CONTROL);
        }
        byte[] b = address.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    private static Inet4Address address(long value) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16),
                (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

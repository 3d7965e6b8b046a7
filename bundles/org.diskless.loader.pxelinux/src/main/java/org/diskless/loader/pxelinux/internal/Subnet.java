package org.diskless.loader.pxelinux.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * A client network as the operator writes it in {@code subnets}: {@code 192.0.2.0/24} or
 * {@code 192.0.2.0/24 192.0.2.254} (with its gateway). It gives a client's kernel the netmask and
 * gateway for {@code ip=}, which the boot context does not carry.
 */
record Subnet(int network, int prefixLength, Optional<Inet4Address> gateway) {

    Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32, not " + prefixLength);
        }
        network &= mask(prefixLength);
    }

    /** @throws IllegalArgumentException with what is wrong and an example of what is right */
    static Subnet parse(String text) {
        String[] words = text.trim().split("\\s+");
        String example = " (write network/prefix [gateway], e.g. '192.0.2.0/24 192.0.2.254')";
        if (words.length < 1 || words.length > 2 || words[0].isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a subnet" + example);
        }
        int slash = words[0].indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' has no /prefix length" + example);
        }
        Inet4Address network = ipv4(words[0].substring(0, slash), text, example);
        int prefix;
        try {
            prefix = Integer.parseInt(words[0].substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length that is no number" + example);
        }
        if (prefix < 1 || prefix > 32) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + ", not 1-32" + example);
        }
        Optional<Inet4Address> gateway = words.length == 2 ? Optional.of(ipv4(words[1], text, example))
                : Optional.empty();
        Subnet subnet = new Subnet(toInt(network), prefix, gateway);
        gateway.ifPresent(g -> {
            if (!subnet.contains(g)) {
                throw new IllegalArgumentException("'" + text + "': gateway " + g.getHostAddress()
                        + " is not inside " + words[0]);
            }
        });
        return subnet;
    }

    boolean contains(Inet4Address address) {
        return (toInt(address) & mask(prefixLength)) == network;
    }

    /** The netmask in dotted form, as {@code ip=} wants it. */
    String netmask() {
        int mask = mask(prefixLength);
        return (mask >>> 24) + "." + ((mask >>> 16) & 0xff) + "." + ((mask >>> 8) & 0xff) + "." + (mask & 0xff);
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static Inet4Address ipv4(String text, String whole, String example) {
        // Only dotted quads: InetAddress.getByName would otherwise try a name lookup.
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("'" + whole + "': '" + text + "' is not an IPv4 address" + example);
        }
        byte[] bytes = new byte[4];
        String[] octets = text.split("\\.");
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(octets[i]);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + whole + "': '" + text + "' is not an IPv4 address" + example);
            }
            bytes[i] = (byte) octet;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    @Override
    public String toString() {
        int n = network;
        return (n >>> 24) + "." + ((n >>> 16) & 0xff) + "." + ((n >>> 8) & 0xff) + "." + (n & 0xff) + "/"
                + prefixLength + gateway.map(g -> " " + g.getHostAddress()).orElse("");
    }
}

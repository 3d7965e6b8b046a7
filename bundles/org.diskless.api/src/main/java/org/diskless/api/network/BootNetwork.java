package org.diskless.api.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A network this server boots nodes on, as the DHCP server is configured for it: what a loader
 * needs to write {@code ip=} or a URL for a node there. Read-only; built with {@link #builder}.
 */
public final class BootNetwork {

    private final String name;
    private final Inet4Address network;
    private final int prefixLength;
    private final Optional<Inet4Address> serverAddress;
    private final List<Inet4Address> routers;

    private BootNetwork(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.network = Objects.requireNonNull(b.network, "network");
        if (b.prefixLength < 0 || b.prefixLength > 32) {
            throw new IllegalArgumentException("an IPv4 prefix is 0-32 bits, not " + b.prefixLength);
        }
        if ((toInt(b.network) & ~mask(b.prefixLength)) != 0) {
            throw new IllegalArgumentException(b.network.getHostAddress() + "/" + b.prefixLength
                    + " has host bits set");
        }
        this.prefixLength = b.prefixLength;
        this.serverAddress = Optional.ofNullable(b.serverAddress);
        this.routers = List.copyOf(b.routers);
    }

    public static Builder builder(String name, Inet4Address network, int prefixLength) {
        return new Builder(name, network, prefixLength);
    }

    /** The operator's name for it (the subnet configuration's name). */
    public String name() {
        return name;
    }

    /** The network address, e.g. {@code 192.0.2.0}. */
    public Inet4Address network() {
        return network;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The netmask, e.g. {@code 255.255.255.0} for a /24. */
    public Inet4Address netmask() {
        return fromInt(mask(prefixLength));
    }

    /** This server's address on that network, as nodes reach it; empty when not known yet. */
    public Optional<Inet4Address> serverAddress() {
        return serverAddress;
    }

    /** The default gateways nodes are given there, best first. */
    public List<Inet4Address> routers() {
        return routers;
    }

    /** The first router, the gateway for a kernel's {@code ip=}. */
    public Optional<Inet4Address> gateway() {
        return routers.stream().findFirst();
    }

    public boolean contains(InetAddress address) {
        return address instanceof Inet4Address v4 && (toInt(v4) & mask(prefixLength)) == toInt(network);
    }

    /** {@code 192.0.2.0/24}. */
    public String cidr() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BootNetwork other && name.equals(other.name) && network.equals(other.network)
                && prefixLength == other.prefixLength && serverAddress.equals(other.serverAddress)
                && routers.equals(other.routers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, network, prefixLength, serverAddress, routers);
    }

    @Override
    public String toString() {
        return "BootNetwork[" + name + " " + cidr() + ", server=" + serverAddress.map(Inet4Address::getHostAddress)
                .orElse("?") + ", routers=" + routers + "]";
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static Inet4Address fromInt(int value) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {
                    (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are an IPv4 address", e);
        }
    }

    /** Collects a network's values; name, network and prefix are required. */
    public static final class Builder {
        private final String name;
        private final Inet4Address network;
        private final int prefixLength;
        private Inet4Address serverAddress;
        private List<Inet4Address> routers = List.of();

        private Builder(String name, Inet4Address network, int prefixLength) {
            this.name = name;
            this.network = network;
            this.prefixLength = prefixLength;
        }

        /** @param serverAddress this server's address there, or null when not known */
        public Builder serverAddress(Inet4Address serverAddress) {
            this.serverAddress = serverAddress;
            return this;
        }

        public Builder routers(List<Inet4Address> routers) {
            this.routers = List.copyOf(routers);
            return this;
        }

        public BootNetwork build() {
            return new BootNetwork(this);
        }
    }
}

package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * One network the server hands addresses out on, as an operator configured it in a factory
 * configuration {@code org.diskless.dhcp.subnet~<name>}: the network, its dynamic ranges and the
 * options its clients get. Values left unset fall back to the server-wide settings.
 *
 * @param unknownClients whether clients not in the node inventory get an answer here; empty
 *                       means the server-wide rule
 * @param loaders        the boot loader asked first per client architecture here, {@code loader.<arch>};
 *                       before the server's
 */
record Subnet(String name, int network, int prefix, List<AddressRange> ranges, List<Inet4Address> routers,
              List<Inet4Address> dnsServers, Optional<String> domainName, Optional<Duration> leaseTime,
              Optional<Inet4Address> serverAddress, Optional<Inet4Address> nextServer,
              Optional<Boolean> unknownClients, Map<Integer, String> loaders) {

    static final String FACTORY_PID = "org.diskless.dhcp.subnet";

    Subnet {
        ranges = List.copyOf(ranges);
        routers = List.copyOf(routers);
        dnsServers = List.copyOf(dnsServers);
        loaders = Map.copyOf(loaders);
    }

    /** Reads one subnet configuration; {@code defaultName} is the configuration's, unless it sets {@code name}. */
    static Subnet parse(String defaultName, Config config) throws InvalidSettingException {
        String name = config.text("name", defaultName);
        String cidr = config.requiredText("network", "every subnet needs its network, e.g. network = 192.0.2.0/24");
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new InvalidSettingException("network", cidr, "write the network with its prefix, e.g. 192.0.2.0/24");
        }
        int prefix;
        int network;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1).trim());
            network = Addresses.toInt(Addresses.parse(cidr.substring(0, slash)));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("network", cidr, "not a network such as 192.0.2.0/24");
        }
        if (prefix < 8 || prefix > 30) {
            throw new InvalidSettingException("network", cidr, "the prefix must be between /8 and /30");
        }
        if ((network & ~mask(prefix)) != 0) {
            throw new InvalidSettingException("network", cidr, "host bits are set; the network is "
                    + Addresses.format(network & mask(prefix)) + "/" + prefix);
        }
        List<AddressRange> ranges = new ArrayList<>();
        for (String text : config.list("range")) {
            AddressRange range;
            try {
                range = AddressRange.parse(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("range", text, e.getMessage()
                        + "; write ranges as first-last, e.g. 192.0.2.100-192.0.2.199");
            }
            int broadcast = network | ~mask(prefix);
            if ((range.first() & mask(prefix)) != network || (range.last() & mask(prefix)) != network) {
                throw new InvalidSettingException("range", text, "lies outside " + cidr);
            }
            if (range.contains(network) || range.contains(broadcast)) {
                throw new InvalidSettingException("range", text, "includes the network or broadcast address of " + cidr);
            }
            for (AddressRange other : ranges) {
                if (other.overlaps(range)) {
                    throw new InvalidSettingException("range", text, "overlaps " + other);
                }
            }
            ranges.add(range);
        }
        ranges.sort((a, b) -> Integer.compareUnsigned(a.first(), b.first()));
        long leaseSeconds = config.number("leaseTime", 0, 0, DhcpSettings.MAX_LEASE_SECONDS);
        Optional<Boolean> unknown = config.text("unknownClients").isEmpty() ? Optional.empty()
                : Optional.of(DhcpSettings.unknownClients(config, false));
        return new Subnet(name, network, prefix, ranges, config.ipv4List("routers"), config.ipv4List("dnsServers"),
                config.text("domainName"), leaseSeconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(leaseSeconds)),
                config.ipv4("serverAddress"), config.ipv4("nextServer"), unknown, DhcpSettings.loaderNames(config));
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    Inet4Address subnetMask() {
        return Addresses.fromInt(mask(prefix));
    }

    Inet4Address broadcastAddress() {
        return Addresses.fromInt(network | ~mask(prefix));
    }

    boolean contains(Inet4Address address) {
        return contains(Addresses.toInt(address));
    }

    boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    boolean inPool(int address) {
        return ranges.stream().anyMatch(r -> r.contains(address));
    }

    boolean overlaps(Subnet other) {
        int shorter = Math.min(prefix, other.prefix);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    String cidr() {
        return Addresses.format(network) + "/" + prefix;
    }

    @Override
    public String toString() {
        return name + " " + cidr() + " " + ranges;
    }
}

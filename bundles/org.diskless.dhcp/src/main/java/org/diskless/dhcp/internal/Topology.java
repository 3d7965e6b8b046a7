package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;

import org.diskless.support.config.InvalidSettingException;

/**
 * The settings and subnets in force, tied to this host's addresses: which subnet an unrelayed
 * broadcast belongs to, and which of our addresses is the server identifier (option 54) and
 * next-server on each subnet. Built whenever configuration changes; a configuration that cannot
 * be tied to the host is refused with the reason.
 */
record Topology(DhcpSettings settings, List<Subnet> subnets, Optional<Subnet> local,
                Map<String, Inet4Address> serverIds, Optional<Inet4Address> defaultServerId,
                Set<Inet4Address> localServerIds, List<String> warnings) {

    Topology {
        subnets = List.copyOf(subnets);
        serverIds = Map.copyOf(serverIds);
        localServerIds = Set.copyOf(localServerIds);
        warnings = List.copyOf(warnings);
    }

    static Topology of(DhcpSettings settings, List<Subnet> subnets, List<LocalAddress> host)
            throws InvalidSettingException {
        List<String> warnings = new ArrayList<>();
        List<LocalAddress> candidates = host;
        if (settings.interfaceName().isPresent()) {
            String name = settings.interfaceName().get();
            candidates = host.stream().filter(a -> a.interfaceName().equals(name)).toList();
            if (candidates.isEmpty()) {
                throw new InvalidSettingException("interface", name, "no interface of that name has an IPv4 address"
                        + " (yet: this is looked at again whenever this host's addresses change); those that have one: "
                        + host.stream().map(LocalAddress::interfaceName).distinct().toList());
            }
        }
        Optional<Inet4Address> defaultId = defaultServerId(settings, host);

        Optional<Subnet> local = Optional.empty();
        List<Subnet> attached = new ArrayList<>();
        for (Subnet subnet : subnets) {
            if (candidates.stream().anyMatch(a -> subnet.contains(a.address()))) {
                attached.add(subnet);
            }
        }
        if (!attached.isEmpty()) {
            local = Optional.of(attached.get(0));
            if (attached.size() > 1) {
                warnings.add("subnets " + attached.stream().map(Subnet::name).toList() + " are all attached to this"
                        + " host; broadcasts that no relay forwarded are served from " + attached.get(0).name()
                        + ". Set 'interface' to the one boot network to choose.");
            }
        }
        Map<String, Inet4Address> ids = new HashMap<>();
        for (Subnet subnet : subnets) {
            Optional<Inet4Address> id = serverId(settings, subnet, host);
            if (id.isEmpty()) {
                throw new InvalidSettingException("serverAddress", "", NO_SERVER_ID);
            }
            ids.put(subnet.name(), id.get());
        }
        for (int i = 0; i < subnets.size(); i++) {
            for (int j = i + 1; j < subnets.size(); j++) {
                if (subnets.get(i).overlaps(subnets.get(j))) {
                    throw new InvalidSettingException("network", subnets.get(j).cidr(), "subnet " + subnets.get(j).name()
                            + " overlaps subnet " + subnets.get(i).name() + " (" + subnets.get(i).cidr() + ")");
                }
            }
        }
        // Our own addresses among the server identifiers: broadcast replies are sent from them.
        Set<Inet4Address> localIds = new LinkedHashSet<>(ids.values());
        defaultId.ifPresent(localIds::add);
        localIds.retainAll(host.stream().map(LocalAddress::address).toList());
        return new Topology(settings, subnets, local, ids, defaultId, localIds, warnings);
    }

    /** Why a subnet without a server identifier cannot be served. */
    static final String NO_SERVER_ID = "this host has no IPv4 address to answer the subnet's clients from, and no"
            + " serverAddress says which of our addresses they reach us on";

    /**
     * Which of our addresses a subnet's clients are answered from (option 54): its own
     * {@code serverAddress}, the server's, our address in it, else our first address (on the boot
     * interface, when one is named). Empty while the host has no address to answer from.
     */
    static Optional<Inet4Address> serverId(DhcpSettings settings, Subnet subnet, List<LocalAddress> host) {
        return subnet.serverAddress().or(settings::serverAddress)
                .or(() -> host.stream().map(LocalAddress::address).filter(subnet::contains).findFirst())
                .or(() -> defaultServerId(settings, host));
    }

    private static Optional<Inet4Address> defaultServerId(DhcpSettings settings, List<LocalAddress> host) {
        return settings.serverAddress()
                .or(() -> host.stream().filter(a -> settings.interfaceName().map(a.interfaceName()::equals).orElse(true))
                        .map(LocalAddress::address).findFirst());
    }

    /** Our address inside {@code subnet}, if we have one: then its clients' broadcasts reach us. */
    static Optional<LocalAddress> attachment(Subnet subnet, List<LocalAddress> host) {
        return host.stream().filter(a -> subnet.contains(a.address())).findFirst();
    }

    /** The subnet that contains {@code address}, if one is configured. */
    Optional<Subnet> subnetOf(Inet4Address address) {
        int value = Addresses.toInt(address);
        for (Subnet subnet : subnets) {
            if (subnet.contains(value)) {
                return Optional.of(subnet);
            }
        }
        return Optional.empty();
    }

    Optional<Inet4Address> serverId(Optional<Subnet> subnet) {
        // Asked several times for each message: plain lookups rather than a chain of lambdas.
        if (subnet.isPresent()) {
            Inet4Address id = serverIds.get(subnet.get().name());
            if (id != null) {
                return Optional.of(id);
            }
        }
        return defaultServerId;
    }

    Optional<Inet4Address> nextServer(Optional<Subnet> subnet) {
        if (subnet.isPresent() && subnet.get().nextServer().isPresent()) {
            return subnet.get().nextServer();
        }
        return settings.nextServer().isPresent() ? settings.nextServer() : serverId(subnet);
    }

    boolean allowsUnknown(Optional<Subnet> subnet) {
        return subnet.flatMap(Subnet::unknownClients).orElse(settings.allowUnknown());
    }
}

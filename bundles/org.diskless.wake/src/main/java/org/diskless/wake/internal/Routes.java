package org.diskless.wake.internal;

import java.net.Inet4Address;
import java.util.Optional;

import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.BootNetworks;

/**
 * Chooses where a node's magic packets go. A node with a fixed address in a boot network (DHCP's
 * subnets, {@link BootNetworks}) is woken on that network: the broadcast its prefix implies, out of
 * the interface holding our address there. Any other node goes out of the configured
 * {@code interface}, to the limited broadcast. An operator's {@code broadcasts} entry for the
 * node's network or for the interface wins over either: some routers forward a directed broadcast
 * only when it is spelled their way, and a segment may want the limited broadcast instead.
 */
final class Routes {

    private final WakeSettings settings;
    private final Optional<BootNetworks> networks;
    private final LocalInterfaces interfaces;

    Routes(WakeSettings settings, Optional<BootNetworks> networks, LocalInterfaces interfaces) {
        this.settings = settings;
        this.networks = networks;
        this.interfaces = interfaces;
    }

    WakeRoute of(WakeTarget target) {
        Optional<Inet4Address> address = target.address().filter(Inet4Address.class::isInstance)
                .map(Inet4Address.class::cast);
        Optional<Inet4Address> configured = address.flatMap(this::configuredFor);
        Optional<BootNetwork> network = address.flatMap(a -> networks.flatMap(n -> n.networkOf(a)));
        if (network.isPresent()) {
            Optional<LocalInterfaces.Local> local = interfaces.in(network.get());
            Optional<String> name = local.map(LocalInterfaces.Local::name).or(settings::interfaceName);
            Inet4Address broadcast = configured.or(() -> name.map(settings.broadcasts()::get))
                    .orElseGet(() -> broadcastOf(network.get()));
            return new WakeRoute(broadcast, local.flatMap(LocalInterfaces.Local::address), name,
                    "network " + network.get().name() + " (" + network.get().cidr() + ")");
        }
        Optional<String> name = settings.interfaceName();
        Optional<LocalInterfaces.Local> local = name.flatMap(interfaces::named);
        Inet4Address broadcast = configured.or(() -> name.map(settings.broadcasts()::get))
                .orElse(WakeSettings.LIMITED_BROADCAST);
        String via = address.isEmpty() ? "no fixed address" : "outside every boot network";
        return new WakeRoute(broadcast, local.flatMap(LocalInterfaces.Local::address), name, via);
    }

    /** The operator's broadcast for the longest configured network holding the address. */
    private Optional<Inet4Address> configuredFor(Inet4Address address) {
        for (int prefix = 32; prefix >= 0; prefix--) {
            Inet4Address chosen = settings.broadcasts().get(WakeSettings.network(address, prefix));
            if (chosen != null) {
                return Optional.of(chosen);
            }
        }
        return Optional.empty();
    }

    static Inet4Address broadcastOf(BootNetwork network) {
        return WakeSettings.fromInt(WakeSettings.toInt(network.network()) | ~WakeSettings.toInt(network.netmask()));
    }
}

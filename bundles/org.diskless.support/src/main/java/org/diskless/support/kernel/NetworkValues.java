package org.diskless.support.kernel;

import java.net.Inet4Address;
import java.util.Optional;

import org.diskless.api.network.BootNetwork;

/**
 * Where the addresses of a node's {@code ip=} (and the server of an {@code nfsroot} that names
 * none) come from: written out by the loader ({@link #literal}), or left to the loader to fill in
 * when it runs ({@link #IPXE}). Without a client there is no {@code ip=}.
 */
public record NetworkValues(Optional<CommandLineValue> client, Optional<CommandLineValue> server,
                            Optional<CommandLineValue> gateway, Optional<CommandLineValue> netmask) {

    /** The longest text of an IPv4 address, {@code 255.255.255.255}. */
    public static final int LONGEST_IPV4 = 15;

    /** No addresses known: no {@code ip=}, and an {@code nfsroot} without a server stays so. */
    public static final NetworkValues NONE = new NetworkValues(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /**
     * iPXE's own DHCP settings, expanded when it runs the script, so always what the node was
     * actually given: {@code ${ip}}, {@code ${next-server}}, {@code ${gateway}}, {@code ${netmask}}.
     */
    public static final NetworkValues IPXE = new NetworkValues(ipxe("${ip}"), ipxe("${next-server}"),
            ipxe("${gateway}"), ipxe("${netmask}"));

    /**
     * The client's address and, from the boot network holding it, this server's address there, its
     * gateway and netmask; each empty when not known.
     */
    public static NetworkValues literal(Optional<Inet4Address> client, Optional<BootNetwork> network) {
        return new NetworkValues(client.map(NetworkValues::text),
                network.flatMap(BootNetwork::serverAddress).map(NetworkValues::text),
                network.flatMap(BootNetwork::gateway).map(NetworkValues::text),
                network.map(BootNetwork::netmask).map(NetworkValues::text));
    }

    private static CommandLineValue text(Inet4Address address) {
        return CommandLineValue.literal(address.getHostAddress());
    }

    private static Optional<CommandLineValue> ipxe(String variable) {
        return Optional.of(CommandLineValue.variable(variable, LONGEST_IPV4));
    }
}

package org.diskless.api;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A machine in the inventory: how to recognise it on the wire and what it boots.
 *
 * @param name             host name, unique in the inventory (also the HP-UX cnode name)
 * @param hardwareAddress  the MAC it boots from
 * @param uuid             SMBIOS UUID (DHCP option 97), when known
 * @param address          fixed IPv4 address, when it has one
 * @param architecture     client architecture, when fixed by the operator rather than announced
 * @param hardwareContexts HP-UX context names best first, e.g. {@code HP-MC68020}
 * @param bootFiles        boot files by role ({@code kernel}, {@code initrd}, {@code loader}, …)
 * @param group            free-form group for the operator's own sorting
 */
public record Node(
        String name,
        HardwareAddress hardwareAddress,
        Optional<UUID> uuid,
        Optional<InetAddress> address,
        Optional<ClientArchitecture> architecture,
        List<String> hardwareContexts,
        Map<String, String> bootFiles,
        Optional<String> group) {

    public Node {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a node needs a non-blank name");
        }
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(architecture, "architecture");
        hardwareContexts = List.copyOf(hardwareContexts);
        bootFiles = Map.copyOf(bootFiles);
        Objects.requireNonNull(group, "group");
    }

    /** A node known only by name and MAC; everything else left to defaults. */
    public static Node of(String name, HardwareAddress hardwareAddress) {
        return new Node(name, hardwareAddress, Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), Map.of(), Optional.empty());
    }
}

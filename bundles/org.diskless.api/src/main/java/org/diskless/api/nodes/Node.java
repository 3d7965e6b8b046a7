package org.diskless.api.nodes;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;

/**
 * A machine in the inventory: how to recognise it on the wire and what it boots. Built with
 * {@link #builder}, so that a field added in a later release breaks no caller.
 */
public final class Node {

    private final String name;
    private final HardwareAddress hardwareAddress;
    private final Optional<UUID> uuid;
    private final Optional<InetAddress> address;
    private final Optional<ClientArchitecture> architecture;
    private final List<String> hardwareContexts;
    private final Map<String, String> bootFiles;
    private final Optional<String> group;

    private Node(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a node needs a non-blank name");
        }
        this.hardwareAddress = Objects.requireNonNull(b.hardwareAddress, "hardwareAddress");
        this.uuid = Optional.ofNullable(b.uuid);
        this.address = Optional.ofNullable(b.address);
        this.architecture = Optional.ofNullable(b.architecture);
        this.hardwareContexts = List.copyOf(b.hardwareContexts);
        this.bootFiles = Map.copyOf(b.bootFiles);
        this.group = Optional.ofNullable(b.group);
    }

    /** A node known only by name and MAC; everything else left to defaults. */
    public static Node of(String name, HardwareAddress hardwareAddress) {
        return builder(name, hardwareAddress).build();
    }

    public static Builder builder(String name, HardwareAddress hardwareAddress) {
        return new Builder(name, hardwareAddress);
    }

    /** A builder holding this node's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(name, hardwareAddress)
                .uuid(uuid.orElse(null))
                .address(address.orElse(null))
                .architecture(architecture.orElse(null))
                .hardwareContexts(hardwareContexts)
                .bootFiles(bootFiles)
                .group(group.orElse(null));
    }

    /** Host name, unique in the inventory (also the HP-UX cnode name). */
    public String name() {
        return name;
    }

    /** The MAC it boots from. */
    public HardwareAddress hardwareAddress() {
        return hardwareAddress;
    }

    /** SMBIOS UUID (DHCP option 97), when known. */
    public Optional<UUID> uuid() {
        return uuid;
    }

    /** Fixed IPv4 address, when it has one. */
    public Optional<InetAddress> address() {
        return address;
    }

    /** Client architecture, when fixed by the operator rather than announced. */
    public Optional<ClientArchitecture> architecture() {
        return architecture;
    }

    /** HP-UX context names best first, e.g. {@code HP-MC68020}. */
    public List<String> hardwareContexts() {
        return hardwareContexts;
    }

    /** Boot files by role ({@link BootRole}: {@code kernel}, {@code initrd}, {@code loader}, …). */
    public Map<String, String> bootFiles() {
        return bootFiles;
    }

    /** Free-form group for the operator's own sorting. */
    public Optional<String> group() {
        return group;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node other && name.equals(other.name) && hardwareAddress.equals(other.hardwareAddress)
                && uuid.equals(other.uuid) && address.equals(other.address) && architecture.equals(other.architecture)
                && hardwareContexts.equals(other.hardwareContexts) && bootFiles.equals(other.bootFiles)
                && group.equals(other.group);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, hardwareAddress, uuid, address, architecture, hardwareContexts, bootFiles, group);
    }

    @Override
    public String toString() {
        return "Node[name=" + name + ", hardwareAddress=" + hardwareAddress + ", uuid=" + uuid + ", address="
                + address + ", architecture=" + architecture + ", hardwareContexts=" + hardwareContexts
                + ", bootFiles=" + bootFiles + ", group=" + group + "]";
    }

    /** Collects a node's values; name and MAC are required, everything else is optional. */
    public static final class Builder {
        private final String name;
        private final HardwareAddress hardwareAddress;
        private UUID uuid;
        private InetAddress address;
        private ClientArchitecture architecture;
        private List<String> hardwareContexts = List.of();
        private final Map<String, String> bootFiles = new LinkedHashMap<>();
        private String group;

        private Builder(String name, HardwareAddress hardwareAddress) {
            this.name = name;
            this.hardwareAddress = hardwareAddress;
        }

        /** @param uuid the SMBIOS UUID, or null for none */
        public Builder uuid(UUID uuid) {
            this.uuid = uuid;
            return this;
        }

        /** @param address the fixed address, or null for none */
        public Builder address(InetAddress address) {
            this.address = address;
            return this;
        }

        /** @param architecture the fixed architecture, or null to take what the client announces */
        public Builder architecture(ClientArchitecture architecture) {
            this.architecture = architecture;
            return this;
        }

        public Builder hardwareContexts(List<String> hardwareContexts) {
            this.hardwareContexts = List.copyOf(hardwareContexts);
            return this;
        }

        /** Replaces every boot file with these. */
        public Builder bootFiles(Map<String, String> bootFiles) {
            this.bootFiles.clear();
            this.bootFiles.putAll(bootFiles);
            return this;
        }

        public Builder bootFile(String role, String path) {
            this.bootFiles.put(Objects.requireNonNull(role, "role"), Objects.requireNonNull(path, "path"));
            return this;
        }

        /** @param group the operator's group, or null for none */
        public Builder group(String group) {
            this.group = group;
            return this;
        }

        public Node build() {
            return new Node(this);
        }
    }
}

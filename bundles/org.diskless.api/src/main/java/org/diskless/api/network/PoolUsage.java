package org.diskless.api.network;

import java.util.List;
import java.util.Objects;

/**
 * One subnet's dynamic address pool at one moment: how many addresses it has and what became of
 * them. {@code bound + offered + declined + heldByPeers + free} may fall short of {@code size} by addresses held
 * in another state a later server knows. Read-only; built with {@link #builder}.
 */
public final class PoolUsage {

    private final String subnet;
    private final String network;
    private final List<String> ranges;
    private final int size;
    private final int bound;
    private final int offered;
    private final int declined;
    private final int heldByPeers;
    private final int free;

    private PoolUsage(Builder b) {
        this.subnet = Objects.requireNonNull(b.subnet, "subnet");
        this.network = Objects.requireNonNull(b.network, "network");
        this.ranges = List.copyOf(b.ranges);
        this.size = notNegative("size", b.size);
        this.bound = notNegative("bound", b.bound);
        this.offered = notNegative("offered", b.offered);
        this.declined = notNegative("declined", b.declined);
        this.heldByPeers = notNegative("heldByPeers", b.heldByPeers);
        this.free = notNegative("free", b.free);
        if (free > size) {
            throw new IllegalArgumentException(free + " free addresses in a pool of " + size);
        }
    }

    /**
     * @param subnet  the operator's name for the subnet
     * @param network its network in CIDR notation, {@code 192.0.2.0/24}
     * @param size    how many addresses its ranges hold
     */
    public static Builder builder(String subnet, String network, int size) {
        return new Builder(subnet, network, size);
    }

    /** The operator's name for the subnet (the subnet configuration's name). */
    public String subnet() {
        return subnet;
    }

    /** The subnet in CIDR notation, {@code 192.0.2.0/24}. */
    public String network() {
        return network;
    }

    /** The pool's ranges, {@code 192.0.2.100-192.0.2.199} or a single address; empty for fixed addresses only. */
    public List<String> ranges() {
        return ranges;
    }

    /** How many addresses the ranges hold. */
    public int size() {
        return size;
    }

    /** Addresses leased to a client (acknowledged or being made durable). */
    public int bound() {
        return bound;
    }

    /** Addresses offered and not yet requested. */
    public int offered() {
        return offered;
    }

    /** Addresses a client declined, held in quarantine. */
    public int declined() {
        return declined;
    }

    /**
     * Addresses other servers sharing the lease store (RFC 3074 peers) hold for their clients; 0
     * for a server of its own.
     */
    public int heldByPeers() {
        return heldByPeers;
    }

    /** Addresses that can be handed out now. */
    public int free() {
        return free;
    }

    private static int notNegative(String what, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolUsage other && subnet.equals(other.subnet) && network.equals(other.network)
                && ranges.equals(other.ranges) && size == other.size && bound == other.bound
                && offered == other.offered && declined == other.declined && heldByPeers == other.heldByPeers
                && free == other.free;
    }

    @Override
    public int hashCode() {
        return Objects.hash(subnet, network, ranges, size, bound, offered, declined, heldByPeers, free);
    }

    @Override
    public String toString() {
        return "PoolUsage[" + subnet + " " + network + ", size=" + size + ", bound=" + bound + ", offered=" + offered
                + ", declined=" + declined + ", heldByPeers=" + heldByPeers + ", free=" + free + "]";
    }

    /** Collects a pool's values; subnet, network and size are required, every count defaults to 0. */
    public static final class Builder {
        private final String subnet;
        private final String network;
        private final int size;
        private List<String> ranges = List.of();
        private int bound;
        private int offered;
        private int declined;
        private int heldByPeers;
        private int free;

        private Builder(String subnet, String network, int size) {
            this.subnet = subnet;
            this.network = network;
            this.size = size;
        }

        public Builder ranges(List<String> ranges) {
            this.ranges = List.copyOf(ranges);
            return this;
        }

        public Builder bound(int bound) {
            this.bound = bound;
            return this;
        }

        public Builder offered(int offered) {
            this.offered = offered;
            return this;
        }

        public Builder declined(int declined) {
            this.declined = declined;
            return this;
        }

        public Builder heldByPeers(int heldByPeers) {
            this.heldByPeers = heldByPeers;
            return this;
        }

        public Builder free(int free) {
            this.free = free;
            return this;
        }

        public PoolUsage build() {
            return new PoolUsage(this);
        }
    }
}

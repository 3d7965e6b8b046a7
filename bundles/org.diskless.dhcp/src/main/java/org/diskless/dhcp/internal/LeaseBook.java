package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;

/**
 * Which dynamic address belongs to which client, for every subnet: the single place that decides
 * who may have an address, so no address is ever given to two clients. Offers are held in memory
 * only; a lease becomes {@link Binding.State#BOUND} once the lease store has made it durable, and
 * stays {@link Binding.State#COMMITTING} (held, but not yet acknowledged) until then.
 *
 * <p>Not thread-safe: the DHCP event loop owns it; commands read it through that loop.
 */
final class LeaseBook {

    /** Why an address cannot be acknowledged to a client. */
    enum Refusal {
        /** Held or leased by another client, or declined. */
        TAKEN,
        /** Not one of this subnet's dynamic addresses. */
        NOT_IN_POOL
    }

    private final Map<Integer, Binding> byAddress = new HashMap<>();
    private final Map<String, Integer> byClient = new HashMap<>();
    private Map<String, AddressPool> pools = new LinkedHashMap<>();
    /** Addresses the lease store knew at start, so new pools still prefer never-used ones. */
    private final List<Integer> everHeld = new ArrayList<>();

    /** Replaces the subnets; bindings inside the new pools are kept, the rest stay remembered only. */
    void subnets(Collection<Subnet> subnets) {
        Map<String, AddressPool> next = new LinkedHashMap<>();
        for (Subnet subnet : subnets) {
            AddressPool pool = new AddressPool(subnet);
            for (Binding binding : byAddress.values()) {
                pool.take(binding.address());
            }
            everHeld.forEach(pool::markUsed);
            next.put(subnet.name(), pool);
        }
        pools = next;
    }

    /** Rebuilds the holds from what the lease store recovered: live leases and live declines. */
    void restore(Collection<Lease> leases, Instant now) {
        for (Lease lease : leases) {
            int address = Addresses.toInt(lease.address());
            everHeld.add(address);
            pool(address).ifPresent(p -> p.markUsed(address));
            Binding.State state = switch (lease.state()) {
                case BOUND -> Binding.State.BOUND;
                case DECLINED -> Binding.State.DECLINED;
                default -> null;
            };
            if (state != null && now.isBefore(lease.expires())) {
                hold(new Binding(lease.clientId(), lease.hardwareAddress(), address, state, lease.expires()));
            }
        }
    }

    /** The address this client holds now (offered, committing or bound), in any subnet. */
    Optional<Binding> bindingOf(String clientId) {
        Integer address = byClient.get(clientId);
        return address == null ? Optional.empty() : Optional.ofNullable(byAddress.get(address));
    }

    Optional<Binding> bindingAt(int address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /**
     * Picks and holds an address for a DISCOVER: the one the client already holds in this subnet,
     * else the one it asks for if free, else the one it had last if free, else a free one.
     *
     * @param previous   the address the lease store remembers for this client, if any
     * @param acceptable excludes addresses the caller knows are not to be given (another node's
     *                   fixed address)
     * @param share      the part of the pool to search first for a free one ({@link Share#WHOLE}
     *                   alone; with peers, ours, so that two servers do not offer the same address)
     */
    Optional<Inet4Address> offer(Subnet subnet, String clientId, HardwareAddress mac, Optional<Inet4Address> requested,
                                 Optional<Inet4Address> previous, IntPredicate acceptable, Share share, Instant now,
                                 Duration hold) {
        AddressPool pool = pools.get(subnet.name());
        if (pool == null) {
            return Optional.empty();
        }
        Optional<Binding> current = bindingOf(clientId);
        if (current.isPresent() && pool.contains(current.get().address())) {
            Binding binding = current.get();
            if (binding.state() == Binding.State.OFFERED) {
                hold(new Binding(clientId, mac, binding.address(), Binding.State.OFFERED, now.plus(hold)));
            }
            return Optional.of(Addresses.fromInt(binding.address()));
        }
        OptionalInt chosen = OptionalInt.empty();
        if (requested.isPresent()) {
            int wanted = Addresses.toInt(requested.get());
            if (pool.isFree(wanted) && acceptable.test(wanted)) {
                chosen = OptionalInt.of(wanted);
            }
        }
        if (chosen.isEmpty() && previous.isPresent()) {
            int last = Addresses.toInt(previous.get());
            if (pool.isFree(last) && acceptable.test(last)) {
                chosen = OptionalInt.of(last);
            }
        }
        if (chosen.isEmpty()) {
            chosen = pool.findFree(acceptable, share);
        }
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        current.ifPresent(this::drop);
        hold(new Binding(clientId, mac, chosen.getAsInt(), Binding.State.OFFERED, now.plus(hold)));
        return Optional.of(Addresses.fromInt(chosen.getAsInt()));
    }

    /**
     * Holds {@code address} for {@code clientId} while its lease is written; the caller commits
     * the lease and then calls {@link #bound} or {@link #abandon}.
     */
    Optional<Refusal> reserve(Subnet subnet, String clientId, HardwareAddress mac, Inet4Address address,
                              IntPredicate acceptable, Instant expires) {
        AddressPool pool = pools.get(subnet.name());
        int wanted = Addresses.toInt(address);
        if (pool == null || !pool.contains(wanted)) {
            return Optional.of(Refusal.NOT_IN_POOL);
        }
        Binding holder = byAddress.get(wanted);
        if (holder != null && !holder.heldBy(clientId)) {
            return Optional.of(Refusal.TAKEN);
        }
        if (holder == null && !acceptable.test(wanted)) {
            return Optional.of(Refusal.TAKEN);
        }
        bindingOf(clientId).filter(b -> b.address() != wanted).ifPresent(this::drop);
        hold(new Binding(clientId, mac, wanted, Binding.State.COMMITTING, expires));
        return Optional.empty();
    }

    /**
     * The lease store has made the lease durable: the client holds the address until it expires.
     * Returns false when the address is no longer held for the client (it asked for another one,
     * or an earlier write for it failed meanwhile): then it must not be acknowledged.
     */
    boolean bound(Lease lease) {
        int address = Addresses.toInt(lease.address());
        Binding holder = byAddress.get(address);
        if (holder == null || !holder.heldBy(lease.clientId())) {
            return false;
        }
        hold(new Binding(lease.clientId(), lease.hardwareAddress(), address, Binding.State.BOUND, lease.expires()));
        return true;
    }

    /**
     * Writing the lease failed: the client gets no ACK. If it was renewing, it keeps the lease it
     * had ({@code previous}); otherwise the address is free again.
     */
    void abandon(String clientId, int address, Optional<Binding> previous) {
        Binding holder = byAddress.get(address);
        if (holder == null || !holder.heldBy(clientId) || holder.state() != Binding.State.COMMITTING) {
            return;
        }
        if (previous.isPresent() && previous.get().address() == address
                && previous.get().state() == Binding.State.BOUND) {
            hold(previous.get());
        } else {
            drop(holder);
        }
    }

    /** DHCPRELEASE: the client gives the address back. Returns whether it held it. */
    boolean release(String clientId, int address) {
        Binding holder = byAddress.get(address);
        if (holder == null || !holder.heldBy(clientId) || holder.state() == Binding.State.COMMITTING) {
            return false;
        }
        drop(holder);
        return true;
    }

    /** What became of a DHCPDECLINE. */
    enum Decline {
        /** The address is kept out of the pool until the quarantine ends. */
        QUARANTINED,
        /**
         * The client already has {@link #MAX_DECLINED_PER_CLIENT} addresses in quarantine: it gives
         * this one back, as with a RELEASE, but no more addresses are kept from others on its word.
         */
        RELEASED,
        /** The address is not leased to this client: nothing changes. */
        NOT_ACKNOWLEDGED
    }

    /**
     * How many addresses one client (by client id or hardware address) can keep out of the pool by
     * declining them. An honest client declines an address that answers ARP, which happens once in
     * a while; a client looping DISCOVER, REQUEST, DECLINE would otherwise take the whole pool.
     */
    static final int MAX_DECLINED_PER_CLIENT = 2;

    /**
     * The client that was acknowledged {@code address} says it is in use on the wire (RFC 2131
     * 4.4.1: it declines after the ACK, having probed the address). An address only offered, or
     * being committed, is not the client's to decline.
     */
    Decline decline(String clientId, HardwareAddress mac, int address, Instant until) {
        Binding holder = byAddress.get(address);
        if (holder == null || !holder.heldBy(clientId) || holder.state() != Binding.State.BOUND) {
            return Decline.NOT_ACKNOWLEDGED;
        }
        drop(holder);
        long declined = byAddress.values().stream().filter(b -> b.state() == Binding.State.DECLINED
                && (b.clientId().equals(clientId) || b.hardwareAddress().equals(mac))).count();
        if (declined >= MAX_DECLINED_PER_CLIENT) {
            return Decline.RELEASED;
        }
        hold(new Binding(clientId, mac, address, Binding.State.DECLINED, until));
        byClient.remove(clientId);
        return Decline.QUARANTINED;
    }

    /**
     * Puts declined addresses back in the pool: {@code address}, or every one when empty. Returns
     * the quarantines that ended.
     */
    List<Binding> clearDeclines(Optional<Integer> address) {
        List<Binding> cleared = byAddress.values().stream()
                .filter(b -> b.state() == Binding.State.DECLINED)
                .filter(b -> address.isEmpty() || b.address() == address.get())
                .toList();
        cleared.forEach(this::drop);
        return cleared;
    }

    /** A client that took another server's offer: its hold here ends at once. */
    void withdrawOffer(String clientId) {
        bindingOf(clientId).filter(b -> b.state() == Binding.State.OFFERED).ifPresent(this::drop);
    }

    /** Frees every offer, lease and quarantine whose time is over. Returns how many. */
    int expire(Instant now) {
        List<Binding> over = new ArrayList<>();
        for (Binding binding : byAddress.values()) {
            if (binding.isOver(now)) {
                over.add(binding);
            }
        }
        over.forEach(this::drop);
        return over.size();
    }

    Optional<AddressPool> pool(int address) {
        for (AddressPool pool : pools.values()) {
            if (pool.contains(address)) {
                return Optional.of(pool);
            }
        }
        return Optional.empty();
    }

    Collection<AddressPool> pools() {
        return List.copyOf(pools.values());
    }

    List<Binding> bindings() {
        return List.copyOf(byAddress.values());
    }

    /** How many bindings of each state a pool has. */
    Map<Binding.State, Integer> countByState(AddressPool pool) {
        Map<Binding.State, Integer> counts = new HashMap<>();
        for (Binding binding : byAddress.values()) {
            if (pool.contains(binding.address())) {
                counts.merge(binding.state(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private void hold(Binding binding) {
        Binding previous = byAddress.put(binding.address(), binding);
        if (previous != null && !previous.clientId().equals(binding.clientId())) {
            byClient.remove(previous.clientId(), previous.address());
        }
        if (binding.state() != Binding.State.DECLINED) {
            Integer old = byClient.put(binding.clientId(), binding.address());
            if (old != null && old != binding.address()) {
                Binding stale = byAddress.get(old);
                if (stale != null && stale.clientId().equals(binding.clientId())
                        && stale.state() != Binding.State.DECLINED) {
                    byAddress.remove(old);
                    pool(old).ifPresent(p -> p.free(old));
                }
            }
        }
        pool(binding.address()).ifPresent(p -> p.take(binding.address()));
    }

    private void drop(Binding binding) {
        if (byAddress.remove(binding.address(), binding)) {
            byClient.remove(binding.clientId(), binding.address());
            pool(binding.address()).ifPresent(p -> p.free(binding.address()));
        }
    }

    int size() {
        return byAddress.size();
    }
}

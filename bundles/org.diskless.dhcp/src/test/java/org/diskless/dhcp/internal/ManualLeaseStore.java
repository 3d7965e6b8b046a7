package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;

/**
 * A lease store whose commits stay pending until the test completes or fails them, so a test can
 * see what the server does before a lease is durable. Like the real store, readers only see a
 * lease once its commit has completed, and each address keeps its latest lease.
 */
final class ManualLeaseStore implements LeaseStore {

    /** A commit the server is waiting for; {@code completeOn} is the executor it asked for, or null. */
    record Pending(Lease lease, CompletableFuture<Lease> stage, Executor completeOn) {
    }

    private final Map<Inet4Address, Lease> durable = new LinkedHashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private RuntimeException refuseWith;

    /** Leases that were durable before the server started, as a restart finds them. */
    ManualLeaseStore preload(Lease... leases) {
        for (Lease lease : leases) {
            durable.put(lease.address(), lease);
        }
        return this;
    }

    /** The next commits throw instead of returning a stage (a store that is shutting down). */
    void refuseCommits(RuntimeException failure) {
        this.refuseWith = failure;
    }

    @Override
    public CompletionStage<Lease> commit(Lease lease) {
        return commit(lease, null);
    }

    /** Like the journal: the stage completes in a task run by {@code executor}. */
    @Override
    public CompletionStage<Lease> commit(Lease lease, Executor executor) {
        if (refuseWith != null) {
            throw refuseWith;
        }
        CompletableFuture<Lease> stage = new CompletableFuture<>();
        pending.add(new Pending(lease, stage, executor));
        return executor == null ? stage : stage.whenCompleteAsync((recorded, failure) -> { }, executor);
    }

    List<Pending> pending() {
        return List.copyOf(pending);
    }

    /** Makes the oldest pending commit durable. */
    Lease completeNext() {
        Pending next = pending.remove(0);
        durable.put(next.lease().address(), next.lease());
        next.stage().complete(next.lease());
        return next.lease();
    }

    /** Completes the oldest pending commit with {@code recorded}: what the store kept instead of what was asked. */
    Lease completeNextAs(Lease recorded) {
        Pending next = pending.remove(0);
        durable.put(recorded.address(), recorded);
        next.stage().complete(recorded);
        return recorded;
    }

    /** Makes every pending commit durable, oldest first. */
    void completeAll() {
        while (!pending.isEmpty()) {
            completeNext();
        }
    }

    /** The oldest pending commit fails, as a full disk would make it. */
    Lease failNext(Throwable failure) {
        Pending next = pending.remove(0);
        next.stage().completeExceptionally(failure);
        return next.lease();
    }

    @Override
    public Optional<Lease> byAddress(Inet4Address address) {
        return Optional.ofNullable(durable.get(address));
    }

    @Override
    public Optional<Lease> byClientId(String clientId) {
        Lease latest = null;
        for (Lease lease : durable.values()) {
            if (lease.clientId().equals(clientId) && (latest == null || !lease.start().isBefore(latest.start()))) {
                latest = lease;
            }
        }
        return Optional.ofNullable(latest);
    }

    @Override
    public Collection<Lease> leases() {
        return List.copyOf(durable.values());
    }
}

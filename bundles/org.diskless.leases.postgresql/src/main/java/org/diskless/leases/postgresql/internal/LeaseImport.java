package org.diskless.leases.postgresql.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;

/**
 * Copies every lease of one store into another, as {@code leases:import-postgresql} moves a
 * server from its journal to the shared database. Safe to run again, and while other servers
 * already use the target: an address another client holds there stays with it and is reported.
 *
 * @param imported how many leases the target recorded
 * @param refused  one line per lease it did not: the address, the MAC and why
 */
public record LeaseImport(int imported, List<String> refused) {

    public static LeaseImport copy(LeaseStore from, LeaseStore to, Duration timeout) throws InterruptedException {
        // Oldest first, so a client with several leases ends with its newest as its current one.
        List<Lease> leases = from.leases().stream().sorted(Comparator.comparing(Lease::start)).toList();
        List<CompletableFuture<Lease>> written = new ArrayList<>(leases.size());
        for (Lease lease : leases) {
            written.add(to.commit(lease).toCompletableFuture());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int imported = 0;
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < leases.size(); i++) {
            Lease lease = leases.get(i);
            String which = lease.address().getHostAddress() + " (" + lease.hardwareAddress() + "): ";
            try {
                written.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                imported++;
            } catch (ExecutionException e) {
                refused.add(which + e.getCause().getMessage());
            } catch (TimeoutException e) {
                refused.add(which + "not written within " + timeout.toSeconds() + " s");
            }
        }
        return new LeaseImport(imported, List.copyOf(refused));
    }

    public int total() {
        return imported + refused.size();
    }
}

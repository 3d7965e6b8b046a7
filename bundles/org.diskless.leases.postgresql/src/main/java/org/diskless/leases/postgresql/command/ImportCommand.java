package org.diskless.leases.postgresql.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.leases.postgresql.internal.StoreMonitor;

/**
 * Copies the embedded journal's leases into PostgreSQL, so an operator can move a running server
 * over without its clients losing their addresses. Safe to run again, and while other servers
 * already use the database: an address another client holds there stays with that client and is
 * reported.
 */
@Service
@Command(scope = "leases", name = "import-postgresql", description = "Copies the leases of the embedded journal"
        + " into the PostgreSQL lease store")
public class ImportCommand implements Action {

    private static final long TIMEOUT_SECONDS = 300;

    @Reference(filter = "(org.diskless.leases.kind=journal)")
    LeaseStore journal;

    @Reference
    StoreMonitor postgresql;

    PrintStream out = System.out;

    @Override
    public Object execute() throws InterruptedException {
        // Oldest first, so a client with several leases ends with its newest as its current one.
        List<Lease> leases = journal.leases().stream().sorted(Comparator.comparing(Lease::start)).toList();
        List<CompletableFuture<Lease>> written = new ArrayList<>(leases.size());
        for (Lease lease : leases) {
            written.add(postgresql.store().commit(lease).toCompletableFuture());
        }
        int imported = 0;
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < leases.size(); i++) {
            try {
                written.get(i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                imported++;
            } catch (ExecutionException e) {
                refused.add(leases.get(i).address().getHostAddress() + " (" + leases.get(i).hardwareAddress() + "): "
                        + e.getCause().getMessage());
            } catch (TimeoutException e) {
                refused.add(leases.get(i).address().getHostAddress() + ": not written within " + TIMEOUT_SECONDS + " s");
            }
        }
        out.println(imported + " of " + leases.size() + " leases imported into PostgreSQL");
        refused.forEach(line -> out.println("  not imported: " + line));
        return null;
    }
}

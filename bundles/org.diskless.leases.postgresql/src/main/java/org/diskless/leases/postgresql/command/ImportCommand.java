package org.diskless.leases.postgresql.command;

import java.io.PrintStream;
import java.time.Duration;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.api.leases.LeaseStore;
import org.diskless.leases.postgresql.internal.LeaseImport;
import org.diskless.leases.postgresql.internal.StoreMonitor;

/** Moves a server to the shared database without its clients losing their addresses; see {@link LeaseImport}. */
@Service
@Command(scope = "leases", name = "import-postgresql", description = "Copies the leases of the embedded journal"
        + " into the PostgreSQL lease store (safe to repeat; an address another client holds there is reported)")
public class ImportCommand implements Action {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Reference(filter = "(org.diskless.leases.kind=journal)")
    LeaseStore journal;

    @Reference
    StoreMonitor postgresql;

    PrintStream out = System.out;

    @Override
    public Object execute() throws InterruptedException {
        LeaseImport result = LeaseImport.copy(journal, postgresql.store(), TIMEOUT);
        out.println(result.imported() + " of " + result.total() + " leases imported into PostgreSQL");
        result.refused().forEach(line -> out.println("  not imported: " + line));
        return null;
    }
}

package org.diskless.leases.postgresql.command;

import java.io.PrintStream;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.leases.postgresql.internal.StoreMonitor;
import org.diskless.leases.postgresql.internal.StoreStatus;

@Service
@Command(scope = "leases", name = "postgresql", description = "Shows the PostgreSQL lease store: the database,"
        + " whether it answers, the leases cached and what was written or refused")
public class StatusCommand implements Action {

    @Reference
    StoreMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        Optional<StoreStatus> status = monitor.status();
        if (status.isEmpty()) {
            out.println("The PostgreSQL lease store is not running (see etc/org.diskless.leases.postgresql.cfg)");
            return null;
        }
        StoreStatus s = status.get();
        out.println("Database:           " + s.url());
        out.println("Reachable:          " + (s.reachable() ? "yes" : "NO, since " + s.downSince().orElseThrow()));
        out.println("Leases cached:      " + s.cached());
        out.println("Committed:          " + s.committed());
        out.println("Taken by others:    " + s.taken());
        out.println("Renewed while down: " + s.renewedWhileDown());
        out.println("Refused while down: " + s.refusedWhileDown());
        out.println("Write errors:       " + s.failed());
        out.println("Reconnections:      " + s.reconnections());
        return null;
    }
}

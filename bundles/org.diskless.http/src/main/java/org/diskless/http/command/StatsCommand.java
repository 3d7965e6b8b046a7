package org.diskless.http.command;

import java.io.PrintStream;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.http.internal.HttpMonitor;

@Service
@Command(scope = "http", name = "stats", description = "Shows the HTTP server's address and counters since it started")
public class StatsCommand implements Action {

    @Reference
    HttpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        out.println("Listening on " + monitor.listeningOn()
                .map(a -> (a.getAddress().isAnyLocalAddress() ? "*" : a.getAddress().getHostAddress()) + ":" + a.getPort())
                .orElse("- (not listening: see the log)"));
        out.println("Transport    " + monitor.transport());
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        table.addRow().addContent("connections_open", monitor.openConnections());
        table.addRow().addContent("transfers_active", monitor.transfers().size());
        for (Map.Entry<String, Long> counter : monitor.counters().entrySet()) {
            table.addRow().addContent(counter.getKey(), counter.getValue());
        }
        table.print(out);
        return null;
    }
}

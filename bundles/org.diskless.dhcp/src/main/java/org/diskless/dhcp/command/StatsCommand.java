package org.diskless.dhcp.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.dhcp.internal.DhcpMonitor;
import org.diskless.dhcp.internal.DhcpMonitor.CounterView;

@Service
@Command(scope = "dhcp", name = "stats", description = "Shows DHCP messages received, sent and dropped since the server started")
public class StatsCommand implements Action {

    @Reference
    DhcpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        out.println("mode     " + monitor.mode());
        out.println("listening " + monitor.listeningOn()
                .map(a -> (a.getAddress().isAnyLocalAddress() ? "*" : a.getAddress().getHostAddress()) + ":" + a.getPort())
                .orElse("- (not listening: see the log)"));
        out.println("transport " + monitor.transport());
        ShellTable table = new ShellTable();
        table.column("Counted");
        table.column("What");
        table.column("Count").alignRight();
        table.column("Meaning");
        for (CounterView counter : monitor.counterViews()) {
            table.addRow().addContent(counter.counted(), counter.name(), counter.count(), counter.meaning());
        }
        table.print(out);
        return null;
    }
}

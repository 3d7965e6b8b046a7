package org.diskless.dhcp.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.dhcp.internal.DhcpMonitor;
import org.diskless.dhcp.internal.DhcpMonitor.CounterView;
import org.diskless.support.console.Facts;

@Service
@Command(scope = "dhcp", name = "stats", description = "Shows where the DHCP server listens (67, and the PXE boot server port 4011) and the"
        + " messages it received, sent and dropped since it started")
public class StatsCommand implements Action {

    @Reference
    DhcpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        new Facts()
                .add("Mode", monitor.mode())
                .add("Listening on", monitor.listeningOn().map(Facts::endpoint).orElse("- (not listening: see the log)"))
                .add("PXE boot server", monitor.bootServerListeningOn().map(Facts::endpoint)
                        .orElse("- (off: proxyPort = 0, or not bound: see the log)"))
                .add("Transport", monitor.transport())
                .print(out);
        out.println();
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

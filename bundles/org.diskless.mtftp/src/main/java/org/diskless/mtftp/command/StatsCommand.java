package org.diskless.mtftp.command;

import java.io.PrintStream;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.mtftp.internal.MtftpMonitor;
import org.diskless.support.console.Facts;

@Service
@Command(scope = "mtftp", name = "stats", description = "Shows the multicast TFTP counters since the server started")
public class StatsCommand implements Action {

    @Reference
    MtftpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        new Facts().add("Transport", monitor.transport()).print(out);
        out.println();
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        for (Map.Entry<String, Long> counter : monitor.counters().entrySet()) {
            table.addRow().addContent(counter.getKey(), counter.getValue());
        }
        table.print(out);
        return null;
    }
}

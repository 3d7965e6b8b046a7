package org.diskless.rarp.command;

import java.io.PrintStream;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.rarp.internal.RarpMonitor;

@Service
@Command(scope = "rarp", name = "stats", description = "Shows what the RARP server counted since it started:"
        + " frames received, replies sent, requests ignored and frames dropped, by reason")
public class StatsCommand implements Action {

    @Reference
    RarpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        out.println(monitor.servingOn().map(i -> "Serving on " + i).orElse("Idle (no usable 'interface')"));
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

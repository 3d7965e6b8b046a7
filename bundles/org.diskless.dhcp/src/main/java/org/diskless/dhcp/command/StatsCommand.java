package org.diskless.dhcp.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.dhcp.internal.DhcpMonitor;

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
        monitor.statisticsReport().forEach(out::println);
        return null;
    }
}

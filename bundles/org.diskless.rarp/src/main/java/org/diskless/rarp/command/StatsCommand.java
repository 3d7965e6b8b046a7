package org.diskless.rarp.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.rarp.internal.RarpMonitor;
import org.diskless.support.shell.CounterTable;

@Service
@Command(scope = "rarp", name = "stats", description = "Shows what the RARP server counted since it started:"
        + " frames received, replies sent, requests ignored and frames dropped, by reason")
public class StatsCommand implements Action {

    @Reference
    RarpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        CounterTable.print(out, monitor.servingOn(), monitor);
        return null;
    }
}

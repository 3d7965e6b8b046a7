package org.diskless.rmp.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.rmp.internal.RmpMonitor;
import org.diskless.support.shell.CounterTable;

@Service
@Command(scope = "rmp", name = "stats", description = "Shows what the RMP server counted since it started:"
        + " requests, replies, sessions, frames dropped and why")
public class StatsCommand implements Action {

    @Reference
    RmpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        CounterTable.print(out, monitor.servingOn(), monitor);
        return null;
    }
}

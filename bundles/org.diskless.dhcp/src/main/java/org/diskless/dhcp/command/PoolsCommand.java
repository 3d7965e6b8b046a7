package org.diskless.dhcp.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.dhcp.internal.DhcpMonitor;
import org.diskless.dhcp.internal.DhcpMonitor.PoolView;

@Service
@Command(scope = "dhcp", name = "pools", description = "Shows each subnet's pool: size, used, free")
public class PoolsCommand implements Action {

    @Reference
    DhcpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        out.println(String.format("%-16s  %-18s  %6s  %6s  %7s  %8s  %6s  %s", "Subnet", "Network", "Size", "Bound",
                "Offered", "Declined", "Free", "Ranges"));
        for (PoolView pool : monitor.pools()) {
            out.println(String.format("%-16s  %-18s  %6d  %6d  %7d  %8d  %6d  %s", pool.subnet(), pool.network(),
                    pool.size(), pool.bound(), pool.offered(), pool.declined(), pool.free(), pool.ranges()));
        }
        return null;
    }
}

package org.diskless.dhcp.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.api.network.PoolUsage;
import org.diskless.dhcp.internal.DhcpMonitor;

@Service
@Command(scope = "dhcp", name = "pools", description = "Shows each subnet's pool: size, used here, used by"
        + " peers sharing the lease store, free")
public class PoolsCommand implements Action {

    @Reference
    DhcpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        List<PoolUsage> pools = monitor.pools();
        if (pools.isEmpty()) {
            out.println("No subnet in force: add etc/org.diskless.dhcp.subnet-<name>.cfg (a refused one is in the log).");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Subnet");
        table.column("Network");
        table.column("Size").alignRight();
        table.column("Bound").alignRight();
        table.column("Offered").alignRight();
        table.column("Declined").alignRight();
        table.column("Peers").alignRight();
        table.column("Free").alignRight();
        table.column("Ranges");
        for (PoolUsage pool : pools) {
            table.addRow().addContent(pool.subnet(), pool.network(), pool.size(), pool.bound(), pool.offered(),
                    pool.declined(), pool.heldByPeers(), pool.free(),
                    pool.ranges().isEmpty() ? "(fixed addresses only)" : pool.ranges().toString());
        }
        table.print(out);
        return null;
    }
}

package org.diskless.dhcp.command;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.dhcp.internal.DhcpMonitor;
import org.diskless.dhcp.internal.DhcpMonitor.LeaseView;

@Service
@Command(scope = "dhcp", name = "leases", description = "Lists the addresses the DHCP server holds: leased, offered, declined")
public class LeasesCommand implements Action {

    private static final int CLIENT_ID_COLUMN = 64;

    @Reference
    DhcpMonitor monitor;

    @Option(name = "-s", aliases = "--state", description = "Only this state: bound, offered, committing, declined")
    String state;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        List<LeaseView> leases = monitor.leases().stream()
                .filter(l -> state == null || l.state().equalsIgnoreCase(state)).toList();
        Instant now = Instant.now();
        ShellTable table = new ShellTable();
        table.column("Address");
        table.column("MAC");
        table.column("State");
        table.column("Expires in").alignRight();
        table.column("Node");
        // What the client sent as option 61, in hex: as long as it chose to make it.
        table.column("Client id").maxSize(CLIENT_ID_COLUMN);
        for (LeaseView lease : leases) {
            table.addRow().addContent(lease.address(), lease.hardwareAddress(), lease.state(),
                    remaining(Duration.between(now, lease.expires())), lease.node().orElse("-"), lease.clientId());
        }
        table.print(out);
        out.println(leases.size() + (leases.size() == 1 ? " address" : " addresses"));
        return null;
    }

    private static String remaining(Duration left) {
        if (left.isNegative()) {
            return "expired";
        }
        long seconds = left.toSeconds();
        return seconds >= 3600 ? String.format("%dh%02dm", seconds / 3600, seconds / 60 % 60)
                : String.format("%dm%02ds", seconds / 60, seconds % 60);
    }
}

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
import org.diskless.dhcp.internal.DhcpMonitor;
import org.diskless.dhcp.internal.DhcpMonitor.LeaseView;

@Service
@Command(scope = "dhcp", name = "leases", description = "Lists the addresses the DHCP server holds: leased, offered, declined")
public class LeasesCommand implements Action {

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
        out.println(String.format("%-15s  %-17s  %-10s  %-12s  %-16s  %s", "Address", "MAC", "State", "Expires in",
                "Node", "Client id"));
        for (LeaseView lease : leases) {
            out.println(String.format("%-15s  %-17s  %-10s  %-12s  %-16s  %s", lease.address(), lease.hardwareAddress(),
                    lease.state(), remaining(Duration.between(now, lease.expires())), lease.node().orElse("-"),
                    lease.clientId()));
        }
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

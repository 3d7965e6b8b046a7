package org.diskless.dhcp.command;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.dhcp.internal.DhcpMonitor;
import org.diskless.dhcp.internal.DhcpMonitor.LeaseView;
import org.diskless.support.console.Units;

@Service
@Command(scope = "dhcp", name = "leases", description = "Lists the addresses the DHCP server holds: leased, offered, declined")
public class LeasesCommand implements Action {

    private static final int CLIENT_ID_COLUMN = 64;

    @Reference
    DhcpMonitor monitor;

    @Option(name = "-s", aliases = "--state", description = "Only this state: offered, committing, bound or declined")
    String state;

    PrintStream out = System.out;
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() throws CommandException {
        if (state != null && !DhcpMonitor.LEASE_STATES.contains(state.toLowerCase(Locale.ROOT))) {
            throw new CommandException("No state '" + state + "': use one of " + String.join(", ",
                    DhcpMonitor.LEASE_STATES));
        }
        List<LeaseView> leases = monitor.leases().stream()
                .filter(l -> state == null || l.state().equalsIgnoreCase(state)).toList();
        if (leases.isEmpty()) {
            out.println(state == null ? "No address is held." : "No address is " + state.toLowerCase(Locale.ROOT) + ".");
            return null;
        }
        Instant now = clock.instant();
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
                    remaining(now, lease.expires()), lease.node().orElse("-"), lease.clientId());
        }
        table.print(out);
        out.println(Units.count(leases.size(), "address", "addresses"));
        return null;
    }

    private static String remaining(Instant now, Instant expires) {
        Duration left = Duration.between(now, expires);
        return left.isNegative() ? "expired" : Units.duration(left);
    }
}

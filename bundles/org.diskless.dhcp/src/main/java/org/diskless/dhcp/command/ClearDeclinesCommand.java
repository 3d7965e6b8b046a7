package org.diskless.dhcp.command;

import java.io.PrintStream;
import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.diskless.dhcp.internal.Addresses;
import org.diskless.dhcp.internal.DhcpMonitor;
import org.diskless.dhcp.internal.DhcpMonitor.LeaseView;

@Service
@Command(scope = "dhcp", name = "clear-declines", description = "Puts declined addresses back in the pool before"
        + " their declineHold is over (dhcp:leases -s declined lists them)")
public class ClearDeclinesCommand implements Action {

    static final String ALL = "all";

    @Reference
    DhcpMonitor monitor;

    @Argument(name = "address", required = true, description = "The declined address to free, or 'all'")
    String address;

    PrintStream out = System.out;

    @Override
    public Object execute() throws CommandException {
        Optional<Inet4Address> which;
        if (ALL.equalsIgnoreCase(address)) {
            which = Optional.empty();
        } else {
            try {
                which = Optional.of(Addresses.parse(address));
            } catch (IllegalArgumentException e) {
                throw new CommandException("'" + address + "' is neither an IPv4 address (a.b.c.d) nor 'all'");
            }
        }
        List<LeaseView> cleared = monitor.clearDeclines(which);
        for (LeaseView lease : cleared) {
            out.println("freed " + lease.address() + " (declined by " + lease.hardwareAddress()
                    + lease.node().map(n -> ", node " + n).orElse("") + ")");
        }
        if (cleared.isEmpty()) {
            out.println(which.map(a -> a.getHostAddress() + " is not declined").orElse("no address is declined"));
        }
        return null;
    }
}

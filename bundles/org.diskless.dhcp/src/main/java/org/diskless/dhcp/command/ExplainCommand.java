package org.diskless.dhcp.command;

import java.io.PrintStream;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.dhcp.internal.DhcpMonitor;

@Service
@Command(scope = "dhcp", name = "explain", description = "Shows which boot file (and so which loader) a client would"
        + " get now, and every rule consulted on the way")
public class ExplainCommand implements Action {

    @Reference
    DhcpMonitor monitor;

    @Argument(name = "mac", required = true, description = "The client's MAC, e.g. 52:54:00:12:34:56")
    String mac;

    @Option(name = "--arch", description = "Option 93 code the client announces (0 BIOS, 7 x64 UEFI, 11 ARM64"
            + " UEFI, 16 x64 HTTP boot); the node's recorded architecture, else BIOS, when left out")
    Integer architecture;

    @Option(name = "--user-class", description = "Option 77 the client sends, e.g. iPXE for iPXE's second request")
    String userClass;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        HardwareAddress address;
        try {
            address = HardwareAddress.parse(mac);
        } catch (IllegalArgumentException e) {
            out.println("'" + mac + "' is not a MAC address such as 52:54:00:12:34:56");
            return null;
        }
        if (architecture != null && (architecture < 0 || architecture > 0xFFFF)) {
            out.println("--arch " + architecture + " is no option 93 code (0-65535)");
            return null;
        }
        monitor.explain(address, Optional.ofNullable(architecture).map(ClientArchitecture::of),
                Optional.ofNullable(userClass)).forEach(out::println);
        return null;
    }
}

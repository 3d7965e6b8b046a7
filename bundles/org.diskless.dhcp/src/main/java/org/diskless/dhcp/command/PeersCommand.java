package org.diskless.dhcp.command;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.dhcp.internal.DhcpMonitor;
import org.diskless.dhcp.internal.DhcpMonitor.PeerView;

@Service
@Command(scope = "dhcp", name = "peers", description = "Shows the servers sharing the clients (RFC 3074): each one's"
        + " buckets, whether it is up, when it was last heard")
public class PeersCommand implements Action {

    @Reference
    DhcpMonitor monitor;

    PrintStream out = System.out;
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() {
        List<PeerView> peers = monitor.peers();
        if (peers.isEmpty()) {
            out.println("No peers: this server answers every client. Set peers in etc/org.diskless.dhcp.cfg to share"
                    + " them with other Diskless servers.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Server");
        table.column("State");
        table.column("Last seen").alignRight();
        table.column("Buckets").alignRight();
        table.column("Answers now");
        for (PeerView peer : peers) {
            String state = peer.self() ? "this server" : peer.up() ? "up" : "down";
            String seen = peer.self() ? "-" : peer.lastSeen()
                    .map(at -> Math.max(0, Duration.between(at, clock.instant()).toMillis()) / 1000 + " s ago")
                    .orElse("never");
            table.addRow().addContent(peer.address(), state, seen, peer.bucketCount(), peer.buckets());
        }
        table.print(out);
        return null;
    }
}

package org.diskless.boot.command;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.api.nodes.Node;
import org.diskless.boot.internal.BootTimelines;
import org.diskless.boot.internal.BootView;
import org.diskless.boot.internal.ClientKey;

@Service
@Command(scope = "boot", name = "nodes", description = "Lists every node and where its last boot stands; clients"
        + " not in the inventory that booted follow",
        detailedDescription = TimelineText.RULES)
public class NodesCommand implements Action {

    @Reference
    BootTimelines timelines;

    PrintStream out = System.out;
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() {
        List<BootView> seen = timelines.lastBoots();
        Map<ClientKey, BootView> byClient = new HashMap<>();
        seen.forEach(boot -> byClient.put(boot.client(), boot));
        List<Node> nodes = List.copyOf(timelines.nodes());
        if (nodes.isEmpty() && seen.isEmpty()) {
            out.println("No nodes in the inventory and no boot seen yet.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Node");
        table.column("MAC");
        table.column("Address");
        table.column("Boot started");
        table.column("Last step").alignRight();
        table.column("Files").alignRight();
        table.column("Failures").alignRight();
        table.column("Now");
        for (Node node : nodes) {
            ClientKey key = new ClientKey.Mac(node.hardwareAddress());
            row(table, node.name(), node.hardwareAddress().toString(),
                    node.address().map(InetAddress::getHostAddress).orElse("-"),
                    Optional.ofNullable(byClient.remove(key)));
        }
        for (BootView boot : seen) {
            if (!byClient.containsKey(boot.client())) {
                continue; // an inventory node, listed above
            }
            String mac = boot.client() instanceof ClientKey.Mac m ? m.mac().toString() : "-";
            String address = boot.client() instanceof ClientKey.Address a ? a.address().getHostAddress()
                    : boot.lastEvent().client().isAnyLocalAddress() ? "-" : boot.lastEvent().client().getHostAddress();
            row(table, "(unknown)", mac, address, Optional.of(boot));
        }
        table.print(out);
        return null;
    }

    private void row(ShellTable table, String name, String mac, String address, Optional<BootView> boot) {
        if (boot.isEmpty()) {
            table.addRow().addContent(name, mac, address, "never seen", "", "", "", "");
            return;
        }
        BootView b = boot.get();
        table.addRow().addContent(name, mac, address, TimelineText.age(b.started(), clock.instant()),
                "+" + TimelineText.seconds(TimelineText.took(b)), b.files() + " / " + TimelineText.bytes(b.bytes()),
                b.failures(), TimelineText.standing(b));
    }
}

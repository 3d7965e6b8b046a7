package org.diskless.boot.command;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.boot.internal.BootTimelines;
import org.diskless.boot.internal.BootView;
import org.diskless.boot.internal.ClientKey;

@Service
@Command(scope = "boot", name = "status", description = "Shows a node's last boot as one timeline of every"
        + " protocol's steps (every client's, without a node)",
        detailedDescription = TimelineText.RULES)
public class StatusCommand implements Action {

    @Reference
    BootTimelines timelines;

    @Argument(index = 0, name = "node", description = "Node name, MAC or IP address")
    @Completion(NodeCompleter.class)
    String node;

    @Option(name = "--boots", aliases = "-n", description = "How many of the kept boots to show, newest first")
    int boots = 1;

    PrintStream out = System.out;
    Clock clock = Clock.systemUTC();
    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Object execute() {
        if (node == null) {
            List<BootView> all = timelines.lastBoots();
            if (all.isEmpty()) {
                out.println("No boot seen yet.");
            }
            for (int i = 0; i < all.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                print(all.get(i));
            }
            return null;
        }
        Optional<ClientKey> client = timelines.find(node);
        if (client.isEmpty()) {
            throw new IllegalArgumentException("No node named '" + node + "' (give a node name, a MAC such as"
                    + " 52:54:00:12:34:56 or an IPv4 address)");
        }
        List<BootView> kept = timelines.boots(client.get());
        if (kept.isEmpty()) {
            out.println(timelines.nodeOf(client.get()).map(n -> n.name() + " (" + n.hardwareAddress() + ")")
                    .orElse(client.get().display()) + ": no boot seen yet.");
            return null;
        }
        for (int i = 0; i < Math.min(Math.max(boots, 1), kept.size()); i++) {
            if (i > 0) {
                out.println();
            }
            print(kept.get(i));
        }
        return null;
    }

    private void print(BootView boot) {
        out.print(TimelineText.timeline(boot, timelines.nodeOf(boot.client()), zone, clock.instant()));
    }
}

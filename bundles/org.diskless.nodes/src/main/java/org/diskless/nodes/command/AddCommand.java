package org.diskless.nodes.command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.nodes.NodeEditException;
import org.diskless.nodes.internal.NodeConfiguration;
import org.diskless.nodes.internal.NodeConfigurations;
import org.diskless.nodes.internal.NodeEditing;
import org.diskless.nodes.internal.Served;
import org.osgi.service.cm.ConfigurationAdmin;

@Service
@Command(scope = "nodes", name = "add", description = "Adds a node to the inventory (one factory configuration)")
public class AddCommand implements Action {

    @Reference
    ConfigurationAdmin configurationAdmin;

    @Reference
    NodeDirectory directory;

    @Argument(index = 0, name = "name", required = true, description = "Host name of the node")
    String name;

    @Argument(index = 1, name = "mac", required = true, description = "MAC it boots from, e.g. 52:54:00:12:34:56")
    String mac;

    @Option(name = "--address", aliases = "-a", description = "Fixed IPv4 address")
    String address;

    @Option(name = "--uuid", description = "SMBIOS UUID (DHCP option 97)")
    String uuid;

    @Option(name = "--arch", description = "Client architecture, DHCP option 93 code (0 BIOS, 7 x64 UEFI)")
    Integer architecture;

    @Option(name = "--group", aliases = "-g", description = "Group for your own sorting")
    String group;

    @Option(name = "--context", multiValued = true, description = "HP-UX context name, best first (repeatable)")
    List<String> contexts;

    @Option(name = "--boot", aliases = "-b", multiValued = true, description = "Boot file as role=path,"
            + " e.g. --boot kernel=vmlinuz --boot initrd=initrd.gz")
    List<String> bootFiles;

    PrintStream out = System.out;
    Path etc = NodeConfigurations.karafEtc();
    Clock clock = Clock.systemUTC();
    Duration servedWithin = Served.DEFAULT_WAIT;

    @Override
    public Object execute() throws IOException, CommandException {
        Map<String, Object> properties = new HashMap<>();
        properties.put(NodeConfiguration.NAME, name);
        properties.put(NodeConfiguration.MAC, mac);
        putIfSet(properties, NodeConfiguration.ADDRESS, address);
        putIfSet(properties, NodeConfiguration.UUID, uuid);
        putIfSet(properties, NodeConfiguration.ARCHITECTURE, architecture);
        putIfSet(properties, NodeConfiguration.GROUP, group);
        if (contexts != null) {
            properties.put(NodeConfiguration.HARDWARE_CONTEXTS, contexts.toArray(String[]::new));
        }
        if (bootFiles != null) { // one entry per option, so a path or append value may hold a comma
            properties.put(NodeConfiguration.BOOT_FILES, bootFiles.toArray(String[]::new));
        }
        NodeEditing.Written written;
        try {
            written = new NodeEditing(configurationAdmin, etc, clock).add(properties);
        } catch (NodeEditException e) {
            throw new CommandException(e.reason() == NodeEditException.Reason.TAKEN
                    ? "Node '" + name + "' not added: " + e.getMessage()
                            + ". Remove that one first (nodes:remove) or choose another value."
                    : "Node not added: " + e.getMessage(), e);
        }
        Node node = written.node();
        Path file = written.file();
        out.println("Added node " + node.name() + " " + node.hardwareAddress() + " (" + file + ")");
        if (!Served.await(directory, List.of(node), servedWithin).isEmpty()) {
            out.println("The inventory does not serve it yet (" + servedWithin.toSeconds() + " s): nodes:list shows"
                    + " when it does; karaf.log says why it would not.");
        }
        return null;
    }

    private static void putIfSet(Map<String, Object> properties, String key, Object value) {
        if (value != null) {
            properties.put(key, value);
        }
    }
}

package org.diskless.nodes.command;

import java.io.IOException;
import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.service.cm.ConfigurationAdmin;

@Service
@Command(scope = "nodes", name = "remove", description = "Removes a node from the inventory (deletes its configuration)")
public class RemoveCommand implements Action {

    @Reference
    ConfigurationAdmin configurationAdmin;

    @Argument(index = 0, name = "name", required = true, description = "Host name of the node")
    @Completion(NodeNameCompleter.class)
    String name;

    PrintStream out = System.out;

    @Override
    public Object execute() throws IOException {
        var stored = NodeConfigurations.byName(new NodeConfigurations(configurationAdmin).all(), name)
                .orElseThrow(() -> new IllegalArgumentException("No node named '" + name
                        + "'; nodes:list shows the inventory."));
        String pid = stored.configuration().getPid();
        stored.configuration().delete();
        out.println("Removed node " + stored.name().orElse(name) + " (configuration " + pid + ")");
        return null;
    }
}

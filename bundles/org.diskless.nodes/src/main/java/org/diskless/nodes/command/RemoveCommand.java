package org.diskless.nodes.command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
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
    Path etc = NodeConfigurations.karafEtc();

    @Override
    public Object execute() throws IOException, CommandException {
        NodeConfigurations configurations = new NodeConfigurations(configurationAdmin, etc);
        var stored = NodeConfigurations.byName(configurations.all(), name)
                .orElseThrow(() -> new CommandException("No node named '" + name
                        + "'; nodes:list shows the inventory."));
        String pid = stored.configuration().getPid();
        Optional<Path> file = configurations.delete(stored);
        out.println("Removed node " + stored.name().orElse(name) + " (configuration " + pid
                + file.map(f -> ", " + f).orElse("") + ")");
        return null;
    }
}

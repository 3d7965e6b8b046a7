package org.diskless.nodes.command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.diskless.api.nodes.NodeEditException;
import org.diskless.nodes.internal.NodeConfigurations;
import org.diskless.nodes.internal.NodeEditing;
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
        NodeEditing.Removed removed;
        try {
            removed = new NodeEditing(configurationAdmin, etc, Clock.systemUTC()).remove(name);
        } catch (NodeEditException e) {
            throw new CommandException("No node named '" + name + "'; nodes:list shows the inventory.", e);
        }
        out.println("Removed node " + removed.name() + " (configuration " + removed.pid()
                + removed.file().map(f -> ", " + f).orElse("") + ")");
        return null;
    }
}

package org.diskless.nfsroot.command;

import java.io.PrintStream;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.diskless.nfsroot.internal.NfsRootHints;

@Service
@Command(scope = "nfsroot", name = "hints", description = "Shows a node's root (or a group's, or every node's): the"
        + " directory, its exports line, the kernel command line each loader writes, and what would break its boot")
public class HintsCommand implements Action {

    @Reference
    NfsRootHints hints;

    @Argument(index = 0, name = "node|group", description = "A node name, else a group; every node without one")
    @Completion(NodeOrGroupCompleter.class)
    String name;

    PrintStream out = System.out;

    @Override
    public Object execute() throws CommandException {
        try {
            out.print(hints.hints(Optional.ofNullable(name)));
        } catch (IllegalArgumentException unknown) { // a name the user mistyped: a line for them, not a stack trace
            throw new CommandException(unknown.getMessage(), unknown);
        }
        return null;
    }
}

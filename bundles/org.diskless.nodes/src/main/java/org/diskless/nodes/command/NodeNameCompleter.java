package org.diskless.nodes.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;

/** Completes the names of the nodes the directory serves. */
@Service
public class NodeNameCompleter implements Completer {

    @Reference
    NodeDirectory directory;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        directory.nodes().stream().map(Node::name).forEach(names.getStrings()::add);
        return names.complete(session, commandLine, candidates);
    }
}

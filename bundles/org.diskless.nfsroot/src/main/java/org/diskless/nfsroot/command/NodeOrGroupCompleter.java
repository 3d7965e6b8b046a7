package org.diskless.nfsroot.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.diskless.nfsroot.internal.NfsRootHints;

/** Completes node and group names for nfsroot:hints. */
@Service
public class NodeOrGroupCompleter implements Completer {

    @Reference
    NfsRootHints hints;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        names.getStrings().addAll(hints.names());
        return names.complete(session, commandLine, candidates);
    }
}

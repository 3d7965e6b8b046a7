package org.diskless.wake.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.diskless.wake.internal.Wakeup;

/** Completes node and group names for wake:nodes. */
@Service
public class TargetCompleter implements Completer {

    @Reference
    Wakeup wakeup;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        names.getStrings().addAll(wakeup.names());
        return names.complete(session, commandLine, candidates);
    }
}

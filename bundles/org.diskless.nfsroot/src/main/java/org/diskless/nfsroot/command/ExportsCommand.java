package org.diskless.nfsroot.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.nfsroot.internal.NfsRootHints;

@Service
@Command(scope = "nfsroot", name = "exports", description = "Prints /etc/exports lines for every NFS root served from"
        + " this host, ready to paste (then exportfs -ra)")
public class ExportsCommand implements Action {

    @Reference
    NfsRootHints hints;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        out.print(hints.exports());
        return null;
    }
}

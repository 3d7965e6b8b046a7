package org.diskless.nfsroot.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.nfsroot.internal.NfsRootHints;

@Service
@Command(scope = "nfsroot", name = "check", description = "Lists what would break a node's boot, one problem a line with"
        + " what to fix: a missing or empty root, kernel or initrd, a command line too long, a RAM disk too small, a"
        + " node without an address, an exports line that would not let it mount")
public class CheckCommand implements Action {

    @Reference
    NfsRootHints hints;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        out.print(hints.check());
        return null;
    }
}

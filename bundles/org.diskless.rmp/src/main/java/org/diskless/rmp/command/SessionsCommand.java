package org.diskless.rmp.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.rmp.internal.RmpMonitor;
import org.diskless.rmp.internal.SessionView;
import org.diskless.support.console.Units;
import org.diskless.support.log.Printable;

@Service
@Command(scope = "rmp", name = "sessions", description = "Lists open RMP boot sessions (HP boot ROMs loading a file)")
public class SessionsCommand implements Action {

    @Reference
    RmpMonitor monitor;

    /** Names come from configuration files and clients: escaped, so a terminal never gets a control sequence. */
    private static final int MAX_CHARS = 80;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        List<SessionView> sessions = monitor.sessions();
        if (sessions.isEmpty()) {
            out.println(monitor.servingOn().map(i -> "No RMP sessions open (serving on " + i + ").")
                    .orElse("No RMP sessions open; RMP is idle (no usable 'interface' in etc/org.diskless.rmp.cfg)."));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Session").alignRight();
        table.column("Cnode");
        table.column("Client");
        table.column("File");
        table.column("Offset").alignRight();
        table.column("Size").alignRight();
        table.column("Done").alignRight();
        table.column("Age").alignRight();
        table.column("Idle").alignRight();
        for (SessionView s : sessions) {
            table.addRow().addContent(
                    s.id(),
                    Printable.of(s.cnode(), MAX_CHARS),
                    s.client().toString(),
                    Printable.of(s.file(), MAX_CHARS),
                    s.offset(),
                    s.size(),
                    Units.percent(s.offset(), s.size()),
                    Units.duration(s.age()),
                    Units.duration(s.idle()));
        }
        table.print(out);
        return null;
    }
}

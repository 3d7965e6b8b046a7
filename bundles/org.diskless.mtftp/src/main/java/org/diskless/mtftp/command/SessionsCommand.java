package org.diskless.mtftp.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.mtftp.internal.MtftpMonitor;
import org.diskless.mtftp.internal.SessionView;
import org.diskless.support.console.Units;

@Service
@Command(scope = "mtftp", name = "sessions", description = "Lists the RFC 2090 multicast sessions in progress")
public class SessionsCommand implements Action {

    @Reference
    MtftpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        List<SessionView> sessions = monitor.sessions();
        if (sessions.isEmpty()) {
            out.println("No RFC 2090 session in progress.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("File");
        table.column("Group");
        table.column("Blksize").alignRight();
        table.column("Master");
        table.column("Waiting").alignRight();
        table.column("Blocks sent").alignRight();
        table.column("Bytes on the wire").alignRight();
        table.column("Age").alignRight();
        for (SessionView s : sessions) {
            table.addRow().addContent(s.file(), s.group(), s.blockSize(), s.master(), s.waiting(), s.blocksSent(),
                    s.bytesSent(), Units.duration(s.age()));
        }
        table.print(out);
        return null;
    }
}

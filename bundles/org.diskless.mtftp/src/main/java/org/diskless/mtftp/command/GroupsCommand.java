package org.diskless.mtftp.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.mtftp.internal.GroupView;
import org.diskless.mtftp.internal.MtftpMonitor;

@Service
@Command(scope = "mtftp", name = "groups", description = "Lists the files sent by PXE multicast TFTP and their current round")
public class GroupsCommand implements Action {

    @Reference
    MtftpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        List<GroupView> groups = monitor.groups();
        if (groups.isEmpty()) {
            out.println("No file is multicast: add etc/org.diskless.mtftp.file-<name>.cfg with file and group.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("File");
        table.column("Group");
        table.column("Master");
        table.column("Listening").alignRight();
        table.column("Blocks sent").alignRight();
        table.column("Bytes on the wire").alignRight();
        table.column("Re-opens").alignRight();
        for (GroupView g : groups) {
            table.addRow().addContent(g.file(), g.destination(), g.master(),
                    g.listening() + (g.capped() ? "+" : ""), g.blocksSent(), g.bytesSent(), g.reopens());
        }
        table.print(out);
        return null;
    }
}

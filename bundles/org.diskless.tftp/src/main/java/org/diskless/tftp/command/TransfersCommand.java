package org.diskless.tftp.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.support.console.Units;
import org.diskless.tftp.internal.TftpMonitor;
import org.diskless.tftp.internal.TransferView;

@Service
@Command(scope = "tftp", name = "transfers", description = "Lists TFTP transfers in progress")
public class TransfersCommand implements Action {

    @Reference
    TftpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        List<TransferView> transfers = monitor.transfers();
        if (transfers.isEmpty()) {
            out.println("No TFTP transfers in progress.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Client");
        table.column("File");
        table.column("Dir");
        table.column("Bytes").alignRight();
        table.column("Total").alignRight();
        table.column("Done").alignRight();
        table.column("Rate").alignRight();
        table.column("Blksize/Window");
        table.column("Resent").alignRight();
        table.column("Age").alignRight();
        for (TransferView t : transfers) {
            table.addRow().addContent(
                    t.clientName(),
                    t.file(),
                    t.direction() == TransferView.Direction.READ ? "get" : "put",
                    t.bytesDone(),
                    t.totalBytes() < 0 ? "?" : Long.toString(t.totalBytes()),
                    Units.percent(t.bytesDone(), t.totalBytes()),
                    Units.rate(t.bytesPerSecond()),
                    t.blockSize() + "/" + t.windowSize(),
                    t.resent(),
                    Units.duration(t.elapsed()));
        }
        table.print(out);
        return null;
    }
}

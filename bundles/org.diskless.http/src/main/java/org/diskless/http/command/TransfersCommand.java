package org.diskless.http.command;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.http.internal.HttpMonitor;
import org.diskless.http.internal.HttpTransferView;

@Service
@Command(scope = "http", name = "transfers", description = "Lists the files the HTTP server is sending")
public class TransfersCommand implements Action {

    @Reference
    HttpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        List<HttpTransferView> transfers = monitor.transfers();
        if (transfers.isEmpty()) {
            out.println("No HTTP transfers in progress.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Client");
        table.column("File");
        table.column("Bytes").alignRight();
        table.column("Total").alignRight();
        table.column("Done").alignRight();
        table.column("MiB/s").alignRight();
        table.column("Sent by");
        table.column("Age").alignRight();
        for (HttpTransferView t : transfers) {
            table.addRow().addContent(
                    t.clientName(),
                    t.file(),
                    t.bytesSent(),
                    t.totalBytes(),
                    t.totalBytes() <= 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * t.bytesSent() / t.totalBytes()),
                    String.format(Locale.ROOT, "%.1f", t.bytesPerSecond() / (1024.0 * 1024.0)),
                    t.zeroCopy() ? "kernel (sendfile)" : "chunks",
                    String.format(Locale.ROOT, "%.1fs", t.elapsed().toMillis() / 1000.0));
        }
        table.print(out);
        return null;
    }
}

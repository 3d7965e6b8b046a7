package org.diskless.tftp.command;

import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.support.console.Facts;
import org.diskless.support.console.Units;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.internal.TftpMonitor;
import org.diskless.tftp.internal.TftpStatistics;

@Service
@Command(scope = "tftp", name = "stats", description = "Shows TFTP server counters since it started: what became of"
        + " each request, the bytes and packets sent, the ERRORs sent by code")
public class StatsCommand implements Action {

    @Reference
    TftpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        TftpStatistics s = monitor.statistics();
        new Facts()
                .add("Listening on", monitor.listeningOn().map(Facts::endpoint).orElse("- (not listening: see the log)"))
                .add("Transport", monitor.transport())
                .print(out);
        out.println();
        requests(s);
        out.println();
        traffic(s);
        return null;
    }

    /** Each request once, by what became of it, so that the outcomes add up to the requests. */
    private void requests(TftpStatistics s) {
        long received = s.readRequests() + s.writeRequests();
        ShellTable table = new ShellTable();
        table.column("Requests");
        table.column("Count").alignRight();
        table.column("");
        table.addRow().addContent("Received", received, s.readRequests() + " read, " + s.writeRequests() + " write");
        table.addRow().addContent("Completed", s.completed(), "");
        table.addRow().addContent("Failed", s.failed(), "started, then timed out or aborted");
        table.addRow().addContent("Refused busy", s.refusedBusy(), "maxTransfers in progress");
        table.addRow().addContent("Refused client busy", s.refusedClientBusy(), "maxTransfersPerClient in progress");
        table.addRow().addContent("Refused queue full", s.refusedQueueFull(), "too many waited for the file system");
        table.addRow().addContent("Not served", s.notServed(), "no such file, access denied, ...: ERRORs below");
        table.addRow().addContent("Repeated", s.repeatedRequests(), "repeat a request being served");
        table.addRow().addContent("Multicast", s.multicast(), "left to RFC 2090 multicast");
        table.addRow().addContent("Preparing", s.preparing(), "admitted, file being opened");
        table.addRow().addContent("Transferring", s.active(), "in progress: tftp:transfers lists them");
        table.print(out);
        long accounted = s.accounted();
        out.println(accounted == received ? "The outcomes add up to the " + received + " requests received."
                : "The outcomes add up to " + accounted + " of the " + received
                        + " requests received; the others are between two steps.");
    }

    private void traffic(TftpStatistics s) {
        ShellTable table = new ShellTable();
        table.column("Traffic");
        table.column("Count").alignRight();
        table.column("");
        table.addRow().addContent("Bytes sent", s.bytesSent(), units(s.bytesSent()));
        table.addRow().addContent("Bytes received", s.bytesReceived(), units(s.bytesReceived()));
        table.addRow().addContent("Retransmissions", s.retransmissions(), "packets sent again");
        table.addRow().addContent("Segment trains", s.trainsSent(), s.trainsRefused() == 0 ? ""
                : s.trainsRefused() + " refused by the kernel: see the log");
        table.addRow().addContent("Malformed packets", s.malformedPackets(), "");
        for (TftpErrorCode code : TftpErrorCode.values()) {
            Long sent = s.errorsSent().get(code.name());
            if (sent != null) {
                table.addRow().addContent("ERROR " + code.code() + " sent", sent,
                        code.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
        if (s.errorsSent().isEmpty()) {
            table.addRow().addContent("ERRORs sent", 0, "");
        }
        table.print(out);
    }

    /** The count in binary units where they say more than the count. */
    private static String units(long bytes) {
        return bytes < 1024 ? "" : Units.bytes(bytes);
    }
}

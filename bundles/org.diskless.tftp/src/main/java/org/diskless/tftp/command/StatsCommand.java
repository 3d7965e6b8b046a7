package org.diskless.tftp.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.diskless.tftp.internal.TftpMonitor;
import org.diskless.tftp.internal.TftpStatistics;

@Service
@Command(scope = "tftp", name = "stats", description = "Shows TFTP server counters since it started")
public class StatsCommand implements Action {

    @Reference
    TftpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        TftpStatistics s = monitor.statistics();
        out.println("Listening on       " + monitor.listeningOn()
                .map(a -> (a.getAddress().isAnyLocalAddress() ? "*" : a.getAddress().getHostAddress()) + ":" + a.getPort())
                .orElse("- (not listening: see the log)"));
        out.println("Transport          " + monitor.transport());
        out.println("Active transfers   " + s.active());
        out.println("Read requests      " + s.readRequests());
        out.println("Write requests     " + s.writeRequests());
        out.println("Completed          " + s.completed());
        out.println("Failed             " + s.failed());
        out.println("Refused (busy)     " + s.refusedBusy());
        out.println("Refused (client)   " + s.refusedClientBusy() + " (maxTransfersPerClient)");
        out.println("Refused (queue)    " + s.refusedQueueFull() + " (waiting for the file system)");
        out.println("Repeated requests  " + s.repeatedRequests());
        out.println("Bytes sent         " + s.bytesSent() + " (" + Units.bytes(s.bytesSent()) + ")");
        out.println("Bytes received     " + s.bytesReceived() + " (" + Units.bytes(s.bytesReceived()) + ")");
        out.println("Retransmissions    " + s.retransmissions());
        out.println("Segment trains     " + s.trainsSent() + (s.trainsRefused() == 0 ? ""
                : " (" + s.trainsRefused() + " refused by the kernel: see the log)"));
        out.println("Malformed packets  " + s.malformedPackets());
        out.println("Errors sent        " + (s.errorsSent().isEmpty() ? "0" : s.errorsSent()));
        return null;
    }
}

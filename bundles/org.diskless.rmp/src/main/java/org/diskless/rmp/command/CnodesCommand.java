package org.diskless.rmp.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.rmp.internal.CnodeView;
import org.diskless.rmp.internal.RmpMonitor;

@Service
@Command(scope = "rmp", name = "cnodes", description = "Lists the machines the RMP server answers and the files each may boot")
public class CnodesCommand implements Action {

    @Reference
    RmpMonitor monitor;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        List<CnodeView> cnodes = monitor.cnodes();
        if (cnodes.isEmpty()) {
            out.println("No cnodes configured (clusterconf, boottab, rbootdConf in etc/org.diskless.rmp.cfg,"
                    + " or inventory nodes with rmp1, rmp2, ... boot files).");
        } else {
            ShellTable table = new ShellTable();
            table.column("Cnode");
            table.column("Link address");
            table.column("Machine type");
            table.column("Boot files");
            table.column("Hidden");
            table.column("From");
            for (CnodeView c : cnodes) {
                table.addRow().addContent(
                        c.name(),
                        c.client().map(Object::toString).orElse(c.name().equals("default") ? "any" : "(by name)"),
                        c.machineType().orElse("any"),
                        c.offered().isEmpty() ? "-" : String.join(",", c.offered()),
                        c.hidden().isEmpty() ? "-" : String.join(",", c.hidden()),
                        c.origin());
            }
            table.print(out);
        }
        if (monitor.answerAny()) {
            out.println("answerAny is on: any other machine is answered too.");
        }
        return null;
    }
}

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
import org.diskless.support.log.Printable;

@Service
@Command(scope = "rmp", name = "cnodes", description = "Lists the machines the RMP server answers and the files each may boot")
public class CnodesCommand implements Action {

    @Reference
    RmpMonitor monitor;

    /** Names come from configuration files an operator was handed: escaped, so a terminal never gets a control sequence. */
    private static final int MAX_CHARS = 120;

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
                        Printable.of(c.name(), MAX_CHARS),
                        c.client().map(Object::toString).orElse(c.name().equals("default") ? "any" : "(by name)"),
                        Printable.of(c.machineType().orElse("any"), MAX_CHARS),
                        c.offered().isEmpty() ? "-" : Printable.of(String.join(",", c.offered()), MAX_CHARS),
                        c.hidden().isEmpty() ? "-" : Printable.of(String.join(",", c.hidden()), MAX_CHARS),
                        Printable.of(c.origin(), MAX_CHARS));
            }
            table.print(out);
        }
        if (monitor.answerAny()) {
            out.println("answerAny is on: any other machine is answered too.");
        }
        return null;
    }
}

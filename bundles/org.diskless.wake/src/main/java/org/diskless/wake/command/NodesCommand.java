package org.diskless.wake.command;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.diskless.wake.internal.WakePlan;
import org.diskless.wake.internal.WakeTarget;
import org.diskless.wake.internal.Wakeup;

@Service
@Command(scope = "wake", name = "nodes", description = "Wakes nodes with Wake-on-LAN magic packets, a batch at a"
        + " time, skipping nodes whose boot timeline shows them booting or booted lately; Ctrl-C stops between"
        + " batches")
public class NodesCommand implements Action {

    static final String UNTIL_KERNEL = "kernel";

    @Reference
    Wakeup wakeup;

    @Argument(index = 0, name = "targets", description = "Node names, group names or MACs", required = true,
            multiValued = true)
    @Completion(TargetCompleter.class)
    List<String> targets;

    @Option(name = "--batch", aliases = "-b", description = "Nodes woken together")
    int batch = 10;

    @Option(name = "--interval", aliases = "-i", description = "Seconds from one batch to the next")
    int interval = 10;

    @Option(name = "--until", description = "'kernel': the next batch also waits until the last one fetched its"
            + " kernel (at most kernelWait, etc/org.diskless.wake.cfg)")
    String until;

    @Option(name = "--force", aliases = "-f", description = "Wake nodes that are booting or booted lately too")
    boolean force;

    PrintStream out = System.out;

    @Override
    public Object execute() throws CommandException {
        if (batch < 1) {
            throw new CommandException("--batch is the number of nodes woken together: 1 or more, not " + batch);
        }
        if (interval < 0 || interval > 24 * 3600) {
            throw new CommandException("--interval is in seconds, from 0 to 86400, not " + interval);
        }
        if (until != null && !until.equals(UNTIL_KERNEL)) {
            throw new CommandException("--until knows one step: kernel (not '" + until + "')");
        }
        List<WakeTarget> resolved;
        try {
            resolved = wakeup.resolve(targets);
        } catch (IllegalArgumentException unknown) { // a name the user mistyped: a line for them, not a stack trace
            throw new CommandException(unknown.getMessage(), unknown);
        }
        WakePlan plan = new WakePlan(batch, Duration.ofSeconds(interval), until != null, wakeup.kernelWait(), force);
        wakeup.wake(resolved, plan, line -> {
            out.println(line);
            out.flush();
        });
        return null;
    }
}

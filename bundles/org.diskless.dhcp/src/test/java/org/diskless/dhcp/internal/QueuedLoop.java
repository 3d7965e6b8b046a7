package org.diskless.dhcp.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Stands in for the DHCP event loop: work handed to it waits until the test runs it, so a test
 * can tell work done on the loop from work done on the lease store's thread.
 */
final class QueuedLoop implements Executor {

    private final Queue<Runnable> queued = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        queued.add(task);
    }

    /** Runs what is queued, including what that queues in turn; returns how many tasks ran. */
    int runPending() {
        int ran = 0;
        Runnable next;
        while ((next = queued.poll()) != null) {
            next.run();
            ran++;
        }
        return ran;
    }

    boolean isIdle() {
        return queued.isEmpty();
    }
}

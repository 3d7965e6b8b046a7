package org.diskless.tftp.internal;

import java.util.function.LongSupplier;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/**
 * Lets an event loop that has nothing to do poll its sockets for a short while before it goes to
 * sleep in the selector. A transfer's next ACK usually comes within tens of microseconds of the
 * window it answers; a thread that slept meanwhile first has to be woken and scheduled again, which
 * on a virtual machine costs as much as the round trip itself. An event loop that stays idle past
 * the budget sleeps as before, so an idle server costs no CPU, and the budget bounds what polling
 * costs while transfers run.
 */
final class PollingSelectStrategy implements SelectStrategy {

    private final LongSupplier pollNanos;
    private final LongSupplier clock;

    /**
     * @param pollNanos how long to poll before sleeping, read at every idle moment (so a
     *                  configuration change applies at once); 0 sleeps at once, as Netty does
     * @param clock     monotonic nanoseconds ({@code System::nanoTime})
     */
    PollingSelectStrategy(LongSupplier pollNanos, LongSupplier clock) {
        this.pollNanos = pollNanos;
        this.clock = clock;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get(); // as Netty's default: run the tasks without blocking
        }
        long budget = pollNanos.getAsLong();
        if (budget <= 0) {
            return SELECT;
        }
        long deadline = clock.getAsLong() + budget;
        do {
            int ready = selectNow.get();
            if (ready > 0) {
                return ready;
            }
            // Not Thread.yield(): on a busy CPU a yielding loop waits out another task's whole time
            // slice (milliseconds), while one that sleeps is woken with priority when its ACK comes.
            Thread.onSpinWait();
        } while (clock.getAsLong() - deadline < 0);
        return SELECT;
    }
}

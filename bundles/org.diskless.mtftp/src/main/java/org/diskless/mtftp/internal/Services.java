package org.diskless.mtftp.internal;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.diskless.api.boot.BootEvent;
import org.diskless.support.log.LogThrottle;

import io.netty.util.concurrent.EventExecutor;

/**
 * What every file, round and session shares: the counters, where boot events go, the throttle
 * every line a client can cause goes through, a monotonic clock in nanoseconds, the event loop
 * all MTFTP state lives on, and the threads that do file-system work (resolving names, opening
 * files), never the event loop.
 */
record Services(MtftpCounters counters, Consumer<BootEvent> events, LogThrottle throttle, LongSupplier clock,
                EventExecutor loop, Executor fileWork) {
}

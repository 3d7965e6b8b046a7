package org.diskless.rarp.internal;

import java.util.Optional;

import org.diskless.api.stats.ProtocolStatistics;

/**
 * What the shell shows of the running RARP server: where it serves here, its counters as the
 * {@link ProtocolStatistics} every protocol publishes. Registered as a service for the command.
 */
public interface RarpMonitor extends ProtocolStatistics {

    /** The interface frames are taken on, or empty while RARP is idle. */
    Optional<String> servingOn();
}

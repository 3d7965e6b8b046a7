package org.diskless.rmp.internal;

import java.util.List;
import java.util.Optional;

import org.diskless.api.stats.ProtocolStatistics;

/**
 * What the shell shows of the running RMP server: its sessions and cnodes here, its counters and
 * gauges as the {@link ProtocolStatistics} every protocol publishes. Registered as a service for the
 * commands only.
 */
public interface RmpMonitor extends ProtocolStatistics {

    /** Open sessions, oldest first. */
    List<SessionView> sessions();

    /** Configured cnodes (files and inventory), by name. */
    List<CnodeView> cnodes();

    /** The interface frames are taken on, or empty while RMP is idle. */
    Optional<String> servingOn();

    /** Whether unlisted machines are answered too. */
    boolean answerAny();

}

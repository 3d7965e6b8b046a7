package org.diskless.rmp.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the shell shows of the running RMP server. Registered as a service for the commands only. */
public interface RmpMonitor {

    /** Open sessions, oldest first. */
    List<SessionView> sessions();

    /** Configured cnodes (files and inventory), by name. */
    List<CnodeView> cnodes();

    /** The interface frames are taken on, or empty while RMP is idle. */
    Optional<String> servingOn();

    /** Whether unlisted machines are answered too. */
    boolean answerAny();

    /** What the server counted since it started, by name, in a stable order. */
    Map<String, Long> counters();

    /** Sessions open now. */
    int openSessions();
}

package org.diskless.mtftp.internal;

import java.util.List;
import java.util.Map;

/** What the shell shows of the running MTFTP server. Registered as a service for the commands only. */
public interface MtftpMonitor {

    /** The PXE MTFTP files served, by name. */
    List<GroupView> groups();

    /** The RFC 2090 sessions in progress, oldest first. */
    List<SessionView> sessions();

    /** The counters {@code ProtocolStatistics} publishes. */
    Map<String, Long> counters();

    /** The levels {@code ProtocolStatistics} publishes: files multicast, rounds and sessions active. */
    Map<String, Long> gauges();

    /** The socket layer: epoll, or NIO and why. */
    String transport();
}

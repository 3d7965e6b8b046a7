package org.diskless.http.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the shell commands and the statistics service read from the running HTTP server. */
public interface HttpMonitor {

    /** Response bodies being sent, oldest first. */
    List<HttpTransferView> transfers();

    /** Every counter by its label, in a fixed order. */
    Map<String, Long> counters();

    int openConnections();

    /** The socket layer, as the log names it. */
    String transport();

    /** The address connections are taken on, or empty while the server is not listening. */
    Optional<InetSocketAddress> listeningOn();
}

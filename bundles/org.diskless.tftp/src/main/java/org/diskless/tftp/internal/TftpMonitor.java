package org.diskless.tftp.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** What the shell shows of the running TFTP server. Registered as a service for the commands only. */
public interface TftpMonitor {

    /** Transfers in progress, oldest first. */
    List<TransferView> transfers();

    TftpStatistics statistics();

    /** The socket layer, as the log names it: "epoll with UDP segmentation offload", or NIO and why. */
    String transport();

    /** The address requests are taken on, or empty while the server is not listening. */
    Optional<InetSocketAddress> listeningOn();
}

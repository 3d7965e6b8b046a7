package org.diskless.tftp.internal;

import java.util.Map;

/**
 * Counters since the server started.
 *
 * @param errorsSent ERROR packets sent, by RFC error code name
 */
public record TftpStatistics(long readRequests, long writeRequests, long completed, long failed, long bytesSent,
                             long bytesReceived, long retransmissions, long malformedPackets, long refusedBusy,
                             int active, Map<String, Long> errorsSent) {

    public TftpStatistics {
        errorsSent = Map.copyOf(errorsSent);
    }
}

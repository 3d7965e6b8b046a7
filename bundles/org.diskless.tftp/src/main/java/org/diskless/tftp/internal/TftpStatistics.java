package org.diskless.tftp.internal;

import java.util.Map;

/**
 * Counters since the server started.
 *
 * @param refusedBusy       requests refused because {@code maxTransfers} transfers were in progress
 * @param refusedClientBusy requests refused because their client address had {@code maxTransfersPerClient}
 * @param refusedQueueFull  requests refused because too many waited for the file system already
 * @param repeatedRequests  requests that repeated one being served, from the same address and port: no new transfer
 * @param trainsSent        windows, or runs of a window's blocks, handed to the kernel as one UDP
 *                          segmentation train
 * @param trainsRefused     trains the kernel refused (each such transfer went on with single datagrams)
 * @param errorsSent        ERROR packets sent, by RFC error code name
 */
public record TftpStatistics(long readRequests, long writeRequests, long completed, long failed, long bytesSent,
                             long bytesReceived, long retransmissions, long malformedPackets, long refusedBusy,
                             long refusedClientBusy, long refusedQueueFull, long repeatedRequests, long trainsSent, long trainsRefused,
                             int active, Map<String, Long> errorsSent) {

    public TftpStatistics {
        errorsSent = Map.copyOf(errorsSent);
    }
}

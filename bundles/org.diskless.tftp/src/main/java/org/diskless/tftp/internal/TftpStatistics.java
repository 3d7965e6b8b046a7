package org.diskless.tftp.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.diskless.tftp.codec.TftpErrorCode;

/**
 * Counters since the server started. Every request has one outcome, so that, once no request is on
 * its way from one to the next, {@code readRequests + writeRequests} equals {@link #accounted()}.
 *
 * @param started           requests that became transfers (each then completes or fails)
 * @param retransmissions   packets sent again: blocks of a window sent again from the first one the client
 *                          had not acknowledged, OACKs, an upload's ACKs
 * @param refusedBusy       requests refused because {@code maxTransfers} transfers were in progress
 * @param refusedClientBusy requests refused because their client address had {@code maxTransfersPerClient}
 * @param refusedQueueFull  requests refused because too many waited for the file system already
 * @param repeatedRequests  requests that repeated one being served, from the same address and port: no new transfer
 * @param notServed         requests admitted and then refused: no such file, access denied, a provider's error,
 *                          no transfer port, or the server stopping
 * @param multicast         requests left to RFC 2090 multicast, which serves the file to the group
 * @param preparing         requests admitted and not yet a transfer nor refused: waiting for the file system
 * @param trainsSent        windows, or runs of a window's blocks, handed to the kernel as one UDP
 *                          segmentation train
 * @param trainsRefused     trains the kernel refused (each such transfer went on with single datagrams)
 * @param active            transfers in progress
 * @param errorsSent        ERROR packets sent, by RFC error code name
 */
public record TftpStatistics(long readRequests, long writeRequests, long started, long completed, long failed, long bytesSent,
                             long bytesReceived, long retransmissions, long malformedPackets, long refusedBusy,
                             long refusedClientBusy, long refusedQueueFull, long repeatedRequests, long notServed,
                             long multicast, long preparing, long trainsSent, long trainsRefused, int active,
                             Map<String, Long> errorsSent) {

    public TftpStatistics {
        errorsSent = Map.copyOf(errorsSent);
    }

    /** What became of the requests: each outcome once, those still preparing or transferring included. */
    public long accounted() {
        return completed + failed + refusedBusy + refusedClientBusy + refusedQueueFull + repeatedRequests + notServed
                + multicast + preparing + active;
    }

    /**
     * The counters by the names {@link org.diskless.api.stats.ProtocolStatistics} publishes, in a
     * stable order; every ERROR code has its own, zero included, so the set of names never changes.
     */
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("read_requests", readRequests);
        counters.put("write_requests", writeRequests);
        counters.put("transfers_started", started);
        counters.put("transfers_completed", completed);
        counters.put("transfers_failed", failed);
        counters.put("bytes_sent", bytesSent);
        counters.put("bytes_received", bytesReceived);
        counters.put("retransmissions", retransmissions);
        counters.put("malformed_packets", malformedPackets);
        counters.put("requests_refused_busy", refusedBusy);
        counters.put("requests_refused_client_busy", refusedClientBusy);
        counters.put("requests_refused_queue_full", refusedQueueFull);
        counters.put("requests_repeated", repeatedRequests);
        counters.put("requests_not_served", notServed);
        counters.put("requests_multicast", multicast);
        counters.put("segment_trains_sent", trainsSent);
        counters.put("segment_trains_refused", trainsRefused);
        for (TftpErrorCode code : TftpErrorCode.values()) {
            counters.put("errors_sent_" + code.name().toLowerCase(Locale.ROOT),
                    errorsSent.getOrDefault(code.name(), 0L));
        }
        return Collections.unmodifiableMap(counters);
    }
}

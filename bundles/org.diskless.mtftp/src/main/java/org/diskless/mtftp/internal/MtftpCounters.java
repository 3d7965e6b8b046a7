package org.diskless.mtftp.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What MTFTP counts since it started; names as {@code ProtocolStatistics} publishes them. */
final class MtftpCounters {

    /** IPv4 and UDP headers in front of each TFTP packet on the wire. */
    static final int IP_UDP_HEADERS = 20 + 8;

    final LongAdder openRequests = new LongAdder();
    final LongAdder opensIgnored = new LongAdder();
    final LongAdder refusedNotMulticast = new LongAdder();
    final LongAdder refusedTooLarge = new LongAdder();
    final LongAdder refusedDiffers = new LongAdder();
    final LongAdder refusedBusy = new LongAdder();
    final LongAdder refusedFile = new LongAdder();
    final LongAdder roundsStarted = new LongAdder();
    final LongAdder roundsCompleted = new LongAdder();
    final LongAdder roundsFailed = new LongAdder();
    final LongAdder mastersLost = new LongAdder();
    final LongAdder paceReductions = new LongAdder();
    final LongAdder rfc2090Requests = new LongAdder();
    final LongAdder rfc2090Declined = new LongAdder();
    final LongAdder rfc2090Sessions = new LongAdder();
    final LongAdder rfc2090ClientsDone = new LongAdder();
    final LongAdder rfc2090ClientsFailed = new LongAdder();
    final LongAdder dataSent = new LongAdder();
    final LongAdder oacksSent = new LongAdder();
    final LongAdder errorsSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder strangerPackets = new LongAdder();
    final LongAdder malformedPackets = new LongAdder();
    /** Rounds in progress: a level, not a count. */
    final AtomicInteger roundsActive = new AtomicInteger();
    /** RFC 2090 sessions in progress: a level. */
    final AtomicInteger sessionsActive = new AtomicInteger();

    /** Every datagram sent: {@code payload} bytes of TFTP packet. */
    void sent(int payload) {
        bytesSent.add(payload + IP_UDP_HEADERS);
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("open_requests", openRequests.sum());
        out.put("opens_ignored", opensIgnored.sum());
        out.put("refused_not_multicast", refusedNotMulticast.sum());
        out.put("refused_too_large", refusedTooLarge.sum());
        out.put("refused_differs_per_client", refusedDiffers.sum());
        out.put("refused_busy", refusedBusy.sum());
        out.put("refused_file", refusedFile.sum());
        out.put("rounds_started", roundsStarted.sum());
        out.put("rounds_completed", roundsCompleted.sum());
        out.put("rounds_failed", roundsFailed.sum());
        out.put("masters_lost", mastersLost.sum());
        out.put("pace_reductions", paceReductions.sum());
        out.put("rfc2090_requests", rfc2090Requests.sum());
        out.put("rfc2090_declined", rfc2090Declined.sum());
        out.put("rfc2090_sessions", rfc2090Sessions.sum());
        out.put("rfc2090_clients_done", rfc2090ClientsDone.sum());
        out.put("rfc2090_clients_failed", rfc2090ClientsFailed.sum());
        out.put("data_sent", dataSent.sum());
        out.put("oacks_sent", oacksSent.sum());
        out.put("errors_sent", errorsSent.sum());
        out.put("bytes_sent", bytesSent.sum());
        out.put("retransmissions", retransmissions.sum());
        out.put("stranger_packets", strangerPackets.sum());
        out.put("malformed_packets", malformedPackets.sum());
        return out;
    }
}

package org.diskless.tftp.internal;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.diskless.tftp.codec.TftpErrorCode;

/**
 * Transfers in progress and the counters behind {@code tftp:stats}. Admission is counted here so
 * the cap on concurrent transfers holds across every event loop.
 */
final class TransferRegistry {

    private final Set<Transfer> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reserved = new AtomicInteger();

    final LongAdder readRequests = new LongAdder();
    final LongAdder writeRequests = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder malformedPackets = new LongAdder();
    final LongAdder refusedBusy = new LongAdder();
    /** Windows (or parts) sent as one UDP segmentation train, and trains the kernel refused. */
    final LongAdder trainsSent = new LongAdder();
    final LongAdder trainsRefused = new LongAdder();
    private final Map<TftpErrorCode, LongAdder> errorsSent = new EnumMap<>(TftpErrorCode.class);

    TransferRegistry() {
        for (TftpErrorCode code : TftpErrorCode.values()) {
            errorsSent.put(code, new LongAdder());
        }
    }

    /** Takes one of {@code max} transfer slots; false when all are taken. */
    boolean reserve(int max) {
        if (reserved.incrementAndGet() > max) {
            reserved.decrementAndGet();
            refusedBusy.increment();
            return false;
        }
        return true;
    }

    /** Gives back a slot reserved for a transfer that never started. */
    void unreserve() {
        reserved.decrementAndGet();
    }

    void started(Transfer transfer) {
        active.add(transfer);
    }

    /** A started transfer ended; its slot is free again. */
    void ended(Transfer transfer, boolean ok) {
        if (active.remove(transfer)) {
            reserved.decrementAndGet();
            (ok ? completed : failed).increment();
        }
    }

    void errorSent(TftpErrorCode code) {
        errorsSent.get(code).increment();
    }

    /** How many transfers are in progress. */
    int activeCount() {
        return active.size();
    }

    List<Transfer> active() {
        return active.stream().sorted(Comparator.comparing(Transfer::startedAt)).toList();
    }

    TftpStatistics snapshot() {
        Map<String, Long> errors = new LinkedHashMap<>();
        errorsSent.forEach((code, count) -> {
            if (count.sum() > 0) {
                errors.put(code.name(), count.sum());
            }
        });
        return new TftpStatistics(readRequests.sum(), writeRequests.sum(), completed.sum(), failed.sum(),
                bytesSent.sum(), bytesReceived.sum(), retransmissions.sum(), malformedPackets.sum(),
                refusedBusy.sum(), trainsSent.sum(), trainsRefused.sum(), active.size(), errors);
    }
}

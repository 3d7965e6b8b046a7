package org.diskless.tftp.internal;

import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpRequest;

/**
 * Transfers in progress, the slots requests are admitted to ({@link TransferSlots}), and the
 * counters behind {@code tftp:stats}.
 */
final class TransferRegistry {

    private final Set<Transfer> active = ConcurrentHashMap.newKeySet();
    private final TransferSlots slots = new TransferSlots();

    final LongAdder readRequests = new LongAdder();
    final LongAdder writeRequests = new LongAdder();
    final LongAdder started = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder malformedPackets = new LongAdder();
    final LongAdder refusedBusy = new LongAdder();
    final LongAdder refusedClientBusy = new LongAdder();
    /** Requests refused because too many already waited for the file-work threads. */
    private final LongAdder refusedQueueFull = new LongAdder();
    final LongAdder repeatedRequests = new LongAdder();
    /** Requests admitted, then refused; requests left to multicast; requests admitted and not yet either. */
    private final LongAdder notServed = new LongAdder();
    private final LongAdder multicast = new LongAdder();
    private final LongAdder preparing = new LongAdder();
    /** Windows (or parts) sent as one UDP segmentation train, and trains the kernel refused. */
    final LongAdder trainsSent = new LongAdder();
    final LongAdder trainsRefused = new LongAdder();
    private final Map<TftpErrorCode, LongAdder> errorsSent = new EnumMap<>(TftpErrorCode.class);

    TransferRegistry() {
        for (TftpErrorCode code : TftpErrorCode.values()) {
            errorsSent.put(code, new LongAdder());
        }
    }

    /** A slot for {@code request} from {@code client} (see {@link TransferSlots#take}); each refusal is counted. */
    TransferSlots.Admission admit(InetSocketAddress client, TftpRequest request, int maxTransfers,
                                  int maxTransfersPerClient) {
        TransferSlots.Admission admission = slots.take(client, request, maxTransfers, maxTransfersPerClient);
        if (admission instanceof TransferSlots.Refused refused) {
            (switch (refused.reason()) {
                case REPEAT -> repeatedRequests;
                case SERVER_FULL -> refusedBusy;
                case CLIENT_FULL -> refusedClientBusy;
            }).increment();
        } else {
            preparing.increment();
        }
        return admission;
    }

    /** An admitted request became a transfer. */
    void started(Transfer transfer) {
        active.add(transfer);
        started.increment();
        preparing.decrement();
    }

    /** An admitted request found the queue to the file system full. */
    void refusedQueueFull() {
        refusedQueueFull.increment();
        preparing.decrement();
    }

    /** An admitted request was refused, or dropped as the server stopped. */
    void notServed() {
        notServed.increment();
        preparing.decrement();
    }

    /** An admitted request is served by RFC 2090 multicast. */
    void servedByMulticast() {
        multicast.increment();
        preparing.decrement();
    }

    /** A started transfer ended (its slot is given back by the transfer). */
    void ended(Transfer transfer, boolean ok) {
        if (active.remove(transfer)) {
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
        return new TftpStatistics(readRequests.sum(), writeRequests.sum(), started.sum(), completed.sum(), failed.sum(),
                bytesSent.sum(), bytesReceived.sum(), retransmissions.sum(), malformedPackets.sum(),
                refusedBusy.sum(), refusedClientBusy.sum(), refusedQueueFull.sum(), repeatedRequests.sum(),
                notServed.sum(), multicast.sum(), preparing.sum(), trainsSent.sum(), trainsRefused.sum(), active.size(), errors);
    }
}

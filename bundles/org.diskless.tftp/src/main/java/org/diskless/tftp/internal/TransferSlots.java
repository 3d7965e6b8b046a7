package org.diskless.tftp.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import org.diskless.tftp.codec.TftpRequest;

/**
 * Who may start a transfer: at most {@code maxTransfers} at once, at most
 * {@code maxTransfersPerClient} of them for one client address, and one per request, so that a
 * client repeating its request while the first is being answered (its timer fired before our
 * OACK or first block arrived, or someone replays it) gets no second transfer. A slot is taken
 * when a request is admitted and given back when its transfer ends or is refused; the cap holds
 * across every event loop.
 */
final class TransferSlots {

    /** What {@link #take} decided. */
    sealed interface Admission permits Slot, Refused {
    }

    /** Why a request got no slot. */
    enum Refusal {
        /** The same request from the same address and port is being served: it answers this one too. */
        REPEAT,
        /** {@code maxTransfers} transfers are in progress. */
        SERVER_FULL,
        /** {@code maxTransfersPerClient} transfers of this client address are in progress. */
        CLIENT_FULL
    }

    record Refused(Refusal reason) implements Admission {
    }

    /** The request, from its client's address and port: a repeat of it is the same key. */
    private record RequestKey(InetSocketAddress client, TftpRequest request) {
    }

    /** One admitted request's place; {@link #release} is idempotent, so every path that ends a request may call it. */
    final class Slot implements Admission {

        private final RequestKey key;
        private boolean released; // guarded by TransferSlots.this

        private Slot(RequestKey key) {
            this.key = key;
        }

        void release() {
            TransferSlots.this.release(this);
        }
    }

    private final Map<RequestKey, Slot> byRequest = new HashMap<>();
    private final Map<InetAddress, Integer> byClientAddress = new HashMap<>();

    /** A slot for {@code request} from {@code client}, or why there is none. */
    synchronized Admission take(InetSocketAddress client, TftpRequest request, int maxTransfers,
                                int maxTransfersPerClient) {
        RequestKey key = new RequestKey(client, request);
        if (byRequest.containsKey(key)) {
            return new Refused(Refusal.REPEAT);
        }
        if (byRequest.size() >= maxTransfers) {
            return new Refused(Refusal.SERVER_FULL);
        }
        int ofClient = byClientAddress.getOrDefault(client.getAddress(), 0);
        if (ofClient >= maxTransfersPerClient) {
            return new Refused(Refusal.CLIENT_FULL);
        }
        Slot slot = new Slot(key);
        byRequest.put(key, slot);
        byClientAddress.put(client.getAddress(), ofClient + 1);
        return slot;
    }

    private synchronized void release(Slot slot) {
        if (slot.released) {
            return;
        }
        slot.released = true;
        byRequest.remove(slot.key);
        byClientAddress.computeIfPresent(slot.key.client().getAddress(), (address, n) -> n == 1 ? null : n - 1);
    }

    /** Slots taken: requests being prepared plus transfers in progress. */
    synchronized int taken() {
        return byRequest.size();
    }
}

package org.diskless.bench.storm;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A PXE ROM getting its address (PXE 2.1, DHCP with PXE extensions): DISCOVER, retransmitted after
 * 4, 8 and 16 seconds and given up 32 seconds after the fourth, one minute in all; it takes the
 * first offer that names itself a PXE offer (option 60 "PXEClient"), or, at the first timeout, the
 * first plain offer it kept; then REQUEST on the same schedule, until an ACK. A NAK starts over
 * from DISCOVER, at most {@link #MAX_NAKS} times.
 */
final class DhcpClient {

    static final int[] TIMEOUTS_SECONDS = {4, 8, 16, 32};
    static final int MAX_NAKS = 3;
    private static final InetSocketAddress SERVERS = new InetSocketAddress("255.255.255.255", 67);

    /** Where the ROM's DHCP ends. */
    interface Listener {

        /** The ACK, and the offer it answers (a ROM reads boot settings from either). */
        void bound(DhcpWire.Reply offer, DhcpWire.Reply ack);

        void failed(String reason);
    }

    private enum State { SELECTING, REQUESTING, OVER }

    private final Scheduler scheduler;
    private final Network.Link port;
    private final StormTally tally;
    private final int xid;
    private final byte[] mac;
    private final byte[] uuid;
    private final Listener listener;
    private final Scheduler.Timer timer;

    private State state = State.OVER;
    private int attempt;
    private int naks;
    private long startedAt;
    private DhcpWire.Reply chosen;
    private DhcpWire.Reply plainOffer;

    DhcpClient(Scheduler scheduler, Network.Link port, StormTally tally, int xid, byte[] mac, byte[] uuid,
               Listener listener) {
        this.scheduler = scheduler;
        this.port = port;
        this.tally = tally;
        this.xid = xid;
        this.mac = mac.clone();
        this.uuid = uuid.clone();
        this.listener = listener;
        this.timer = scheduler.timer(this::expired);
    }

    int xid() {
        return xid;
    }

    void start() {
        startedAt = scheduler.now();
        select();
    }

    void abandon() {
        state = State.OVER;
        timer.cancel();
    }

    /** A reply with this client's xid; one for another MAC is ignored. */
    void onReply(DhcpWire.Reply reply) {
        if (!reply.forMac(mac)) {
            tally.strayPackets++;
            return;
        }
        switch (state) {
            case SELECTING -> {
                if (reply.type() != DhcpWire.OFFER) {
                    tally.strayPackets++;
                } else if (reply.vendorClass().filter(v -> v.startsWith("PXEClient")).isPresent()) {
                    request(reply);
                } else if (plainOffer == null) {
                    plainOffer = reply;
                }
            }
            case REQUESTING -> {
                if (!fromChosenServer(reply)) {
                    tally.strayPackets++;
                } else if (reply.type() == DhcpWire.ACK) {
                    state = State.OVER;
                    timer.cancel();
                    listener.bound(chosen, reply);
                } else if (reply.type() == DhcpWire.NAK) {
                    tally.dhcpNaks++;
                    if (++naks > MAX_NAKS) {
                        fail("NAK to " + naks + " REQUESTs");
                    } else {
                        select();
                    }
                } else {
                    tally.strayPackets++;
                }
            }
            default -> {
            }
        }
    }

    private boolean fromChosenServer(DhcpWire.Reply reply) {
        return reply.serverId().isEmpty() || reply.serverId().equals(chosen.serverId());
    }

    private void select() {
        state = State.SELECTING;
        plainOffer = null;
        attempt = 0;
        send();
    }

    private void request(DhcpWire.Reply offer) {
        state = State.REQUESTING;
        chosen = offer;
        attempt = 0;
        send();
    }

    private void expired() {
        if (state == State.SELECTING && plainOffer != null) {
            request(plainOffer);
            return;
        }
        if (++attempt >= TIMEOUTS_SECONDS.length) {
            fail(state == State.SELECTING ? "no DHCP offer in 60 s" : "no DHCP ACK in 60 s");
            return;
        }
        tally.dhcpRetransmissions++;
        send();
    }

    private void send() {
        int secs = (int) TimeUnit.NANOSECONDS.toSeconds(scheduler.now() - startedAt);
        ByteBuffer message = state == State.SELECTING
                ? DhcpWire.discover(xid, mac, uuid, secs)
                : DhcpWire.request(xid, mac, uuid, secs, chosen.yiaddr(), chosen.serverId().orElse(null));
        tally.dhcpSent++;
        port.send(message, SERVERS);
        timer.at(scheduler.now() + TimeUnit.SECONDS.toNanos(TIMEOUTS_SECONDS[attempt]));
    }

    private void fail(String reason) {
        state = State.OVER;
        timer.cancel();
        listener.failed(reason);
    }
}

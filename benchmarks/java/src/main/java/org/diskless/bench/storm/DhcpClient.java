package org.diskless.bench.storm;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A PXE ROM getting its address (PXE 2.1: DHCP with PXE extensions; RFC 2131 where PXE says
 * nothing). DISCOVER goes out four times, after timeouts of 4, 8 and 16 s, and the ROM gives up 32 s
 * after the fourth: one minute without an offer. It takes the first offer that names itself a PXE
 * offer (option 60 "PXEClient") at once; a plain offer only when the timeout it came in ends,
 * since the ROM goes on collecting offers for a ProxyDHCP one (the PXE specification waits through
 * the 4- and 8-second timeouts, iPXE 2 s; this model, the one it is in). REQUEST goes out four times,
 * after 1, 2 and 3 s, 4 s for the last, as the PXE specification says. No answer to the REQUESTs
 * starts over from DISCOVER (RFC 2131, 4.4.1), and so does a NAK, a second later, as iPXE does;
 * at most {@link #MAX_RESTARTS} times, iPXE's limit. A server that offers one address to several
 * clients at once (dnsmasq holds no address between OFFER and REQUEST) NAKs all but one of them.
 */
final class DhcpClient {

    static final int[] DISCOVER_TIMEOUTS_SECONDS = {4, 8, 16, 32};
    static final int[] REQUEST_TIMEOUTS_SECONDS = {1, 2, 3, 4};
    static final int MAX_RESTARTS = 180;
    private static final long NAK_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final InetSocketAddress SERVERS = new InetSocketAddress("255.255.255.255", 67);

    /** Where the ROM's DHCP ends. */
    interface Listener {

        /** The ACK, and the offer it answers (a ROM reads boot settings from either). */
        void bound(DhcpWire.Reply offer, DhcpWire.Reply ack);

        void failed(String reason);
    }

    private enum State { SELECTING, REQUESTING, PAUSED, OVER }

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
    private int restarts;
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

    /** A reply with this client's xid; one for another MAC, or of an unexpected kind, is ignored. */
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
                    state = State.PAUSED;
                    timer.at(scheduler.now() + NAK_PAUSE_NANOS);
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

    private void restart(String why) {
        if (++restarts > MAX_RESTARTS) {
            fail(why + " after " + MAX_RESTARTS + " restarts from DISCOVER");
        } else {
            select();
        }
    }

    private void expired() {
        if (state == State.PAUSED) {
            restart("NAK");
            return;
        }
        if (state == State.SELECTING && plainOffer != null) {
            request(plainOffer);
            return;
        }
        if (++attempt >= timeouts().length) {
            if (state == State.SELECTING) {
                fail("no DHCP offer in 60 s");
            } else {
                restart("no DHCP ACK to 4 REQUESTs");
            }
            return;
        }
        tally.dhcpRetransmissions++;
        send();
    }

    private int[] timeouts() {
        return state == State.SELECTING ? DISCOVER_TIMEOUTS_SECONDS : REQUEST_TIMEOUTS_SECONDS;
    }

    private void send() {
        int secs = (int) TimeUnit.NANOSECONDS.toSeconds(scheduler.now() - startedAt);
        ByteBuffer message = state == State.SELECTING
                ? DhcpWire.discover(xid, mac, uuid, secs)
                : DhcpWire.request(xid, mac, uuid, secs, chosen.yiaddr(), chosen.serverId().orElse(null));
        tally.dhcpSent++;
        port.send(message, SERVERS);
        timer.at(scheduler.now() + TimeUnit.SECONDS.toNanos(timeouts()[attempt]));
    }

    private void fail(String reason) {
        state = State.OVER;
        timer.cancel();
        listener.failed(reason);
    }
}

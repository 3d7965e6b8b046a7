package org.diskless.rarp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.Node;
import org.diskless.rarp.codec.RarpFrame;
import org.diskless.rarp.codec.RarpOp;
import org.diskless.rarp.internal.RarpCounters.Counter;
import org.diskless.support.events.BootEventPublisher;
import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server answers, as rarpd did: a "request reverse" (RFC 903 operation 3) about a
 * machine of the node inventory that has a fixed IPv4 address on a network of the interface gets
 * a "reply reverse" naming that address, sent from our hardware and IPv4 address there to the
 * machine that asked. Everything else gets no answer.
 *
 * <p>Whoever is on the link can send anything, so: frames from a group address or our own are
 * dropped (a reply would go to every machine, or to us); replies about one machine are paced
 * ({@link ReplyPacing}), so made-up sources asking about it cost no more than one reply an
 * interval; nothing is recorded (boot event, pacing entry) for a machine that is not answered;
 * every line a frame can cause is logged at most once a minute per kind. Runs on the receiving
 * thread only.
 */
final class RarpProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(RarpProtocol.class);

    /** How RARP shows on a node's boot timeline. */
    static final BootProtocol RARP = BootProtocol.of("RARP");

    private static final HardwareAddress BROADCAST = HardwareAddress.parse("ff:ff:ff:ff:ff:ff");
    /** What a machine that asks is known by until it has its address. */
    private static final InetAddress NO_ADDRESS = unspecified();

    private final Function<HardwareAddress, Optional<Node>> inventory;
    private final LinkNetworks networks;
    private final BootEventPublisher events;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final RarpCounters counters;
    private final ReplyPacing pacing = new ReplyPacing();
    private final LogThrottle anomalies = new LogThrottle(Duration.ofMinutes(1));

    RarpProtocol(Function<HardwareAddress, Optional<Node>> inventory, LinkNetworks networks, BootEventPublisher events,
            LongSupplier nanoTime, Clock clock, RarpCounters counters) {
        this.inventory = inventory;
        this.networks = networks;
        this.events = events;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.counters = counters;
    }

    /**
     * The answer to one frame from {@code interfaceName}, where we are {@code self}; empty when it
     * gets none.
     *
     * @param interval the least time between two replies about one machine
     */
    Optional<RarpFrame> handle(RarpFrame frame, String interfaceName, HardwareAddress self, Duration interval) {
        if (!frame.destination().equals(BROADCAST) && !frame.destination().equals(self)) {
            return Optional.empty(); // someone else's conversation, or our own reply on its way out
        }
        counters.add(Counter.RECEIVED);
        HardwareAddress source = frame.source();
        if (isGroup(source) || source.equals(self)) {
            boolean ours = source.equals(self);
            counters.add(ours ? Counter.DROPPED_OWN_SOURCE : Counter.DROPPED_GROUP_SOURCE);
            anomalies.warn(LOG, ours ? "own-source" : "group-source", "RARP frame with source {} dropped: a reply"
                    + " would go {}", source, ours ? "to ourselves" : "to every machine of that group");
            return Optional.empty();
        }
        if (frame.op() != RarpOp.REQUEST_REVERSE) {
            counters.add(Counter.IGNORED_NOT_REQUEST);
            return Optional.empty(); // another server's reply, broadcast
        }
        HardwareAddress machine = frame.targetHardware();
        Optional<Node> node = inventory.apply(machine);
        if (node.isEmpty()) {
            counters.add(Counter.IGNORED_UNKNOWN);
            anomalies.info(LOG, "unknown", "RARP request for {} ignored: it is not a node of the inventory"
                    + " (logged once a minute; rarp:stats counts them all)", machine);
            return Optional.empty();
        }
        Optional<Inet4Address> fixed = node.get().address()
                .filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast);
        if (fixed.isEmpty()) {
            counters.add(Counter.IGNORED_NO_ADDRESS);
            anomalies.warn(LOG, "no-address", "RARP request for node {} ({}) ignored: it has no fixed IPv4 address"
                    + " to give (nodes:add --address)", node.get().name(), machine);
            return Optional.empty();
        }
        if (!pacing.allow(machine, nanoTime.getAsLong(), interval)) {
            counters.add(Counter.RATE_LIMITED);
            return Optional.empty();
        }
        Optional<Inet4Address> ours = networks.ourAddressFor(interfaceName, fixed.get());
        if (ours.isEmpty()) {
            counters.add(Counter.IGNORED_OFF_LINK);
            anomalies.warn(LOG, "off-link", "RARP request for node {} ({}) ignored: its address {} is on no network"
                    + " of {} (ip addr show {}), so it could not use it there", node.get().name(), machine,
                    fixed.get().getHostAddress(), interfaceName, interfaceName);
            return Optional.empty();
        }
        publish(BootEvent.Kind.REQUEST, machine, NO_ADDRESS, source.equals(machine) ? "request reverse"
                : "request reverse by " + source);
        RarpFrame reply = RarpFrame.replyTo(frame, self, ours.get(), fixed.get());
        publish(BootEvent.Kind.ACK, machine, fixed.get(), fixed.get().getHostAddress() + " (fixed) from "
                + ours.get().getHostAddress());
        return Optional.of(reply);
    }

    private void publish(BootEvent.Kind kind, HardwareAddress machine, InetAddress client, String detail) {
        if (events.hasListeners()) {
            events.accept(BootEvent.builder(clock.instant(), RARP, kind, client).hardwareAddress(machine)
                    .detail(detail).build());
        }
    }

    private static boolean isGroup(HardwareAddress address) {
        return (address.toByteArray()[0] & 1) != 0;
    }

    private static InetAddress unspecified() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are always an IPv4 address", impossible);
        }
    }
}

package org.diskless.rarp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.nodes.Node;
import org.diskless.rarp.codec.RarpFrame;
import org.diskless.rarp.codec.RarpOp;
import org.diskless.rarp.internal.RarpCounters.Counter;
import org.diskless.support.events.BootEventPublisher;
import org.junit.jupiter.api.Test;

/** Who gets a "reply reverse", with what, and what a hostile link costs (RFC 903). */
class RarpProtocolTest {

    private static final String LINK = "eth1";
    private static final HardwareAddress SERVER = mac("02:00:00:00:00:01");
    private static final HardwareAddress BROADCAST = mac("ff:ff:ff:ff:ff:ff");
    private static final HardwareAddress SUN = mac("08:00:20:0a:0b:0c");
    private static final Inet4Address OURS = ip("192.0.2.1");
    private static final Inet4Address FIXED = ip("192.0.2.20");
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final Map<HardwareAddress, Node> inventory = new HashMap<>();
    private final List<BootEvent> events = new ArrayList<>();
    private final RarpCounters counters = new RarpCounters();
    private long now = 1_000_000_000L;
    private final RarpProtocol protocol;

    RarpProtocolTest() {
        BootEventPublisher publisher = new BootEventPublisher();
        publisher.add(events::add);
        LinkNetworks networks = (name, client) -> name.equals(LINK) && client.getHostAddress().startsWith("192.0.2.")
                ? Optional.of(OURS) : Optional.empty();
        protocol = new RarpProtocol(mac -> Optional.ofNullable(inventory.get(mac)), networks, publisher, () -> now,
                Clock.fixed(Instant.parse("2026-12-07T15:00:00Z"), ZoneOffset.UTC), counters);
    }

    @Test
    void knownNodeIsToldItsFixedAddressByUsOnThatLink() {
        inventory.put(SUN, node("sparc1", SUN, FIXED));

        RarpFrame reply = protocol.handle(request(SUN, SUN), LINK, SERVER, SECOND).orElseThrow();

        assertEquals(SUN, reply.destination(), "back to the machine that asked");
        assertEquals(SERVER, reply.source());
        assertEquals(RarpOp.REPLY_REVERSE, reply.op());
        assertEquals(SERVER, reply.senderHardware());
        assertEquals(OURS, reply.senderProtocol(), "our address on the link: Sun PROMs TFTP from it");
        assertEquals(SUN, reply.targetHardware());
        assertEquals(FIXED, reply.targetProtocol());
    }

    @Test
    void answeredRequestLeavesARequestAndAnAcknowledgementOnTheTimeline() {
        inventory.put(SUN, node("sparc1", SUN, FIXED));

        protocol.handle(request(SUN, SUN), LINK, SERVER, SECOND);

        assertEquals(List.of(BootEvent.Kind.REQUEST, BootEvent.Kind.ACK), events.stream().map(BootEvent::kind).toList());
        for (BootEvent event : events) {
            assertEquals("RARP", event.protocol().name());
            assertEquals(Optional.of(SUN), event.hardwareAddress());
        }
        assertEquals(FIXED, events.get(1).client(), "the TFTP requests that follow come from the fixed address");
    }

    @Test
    void aMachineAskingForAnotherGetsTheAnswerAboutThatOne() {
        inventory.put(SUN, node("sparc1", SUN, FIXED));
        HardwareAddress helper = mac("02:00:00:00:00:99");

        RarpFrame reply = protocol.handle(request(helper, SUN), LINK, SERVER, SECOND).orElseThrow();

        assertEquals(helper, reply.destination());
        assertEquals(SUN, reply.targetHardware());
        assertEquals(FIXED, reply.targetProtocol());
        assertTrue(events.get(0).detail().contains("by " + helper), events.get(0).detail());
    }

    @Test
    void unknownMachinesNodesWithoutAnAddressAndAddressesOffTheLinkGetNothingAndLeaveNoEvent() {
        inventory.put(mac("08:00:20:00:00:02"), Node.of("dynamic", mac("08:00:20:00:00:02")));
        inventory.put(mac("08:00:20:00:00:03"), node("far", mac("08:00:20:00:00:03"), ip("198.51.100.3")));

        for (String asked : List.of("08:00:20:00:00:01", "08:00:20:00:00:02", "08:00:20:00:00:03")) {
            assertEquals(Optional.empty(), protocol.handle(request(mac(asked), mac(asked)), LINK, SERVER, SECOND));
        }

        assertTrue(events.isEmpty());
        assertEquals(1, counters.get(Counter.IGNORED_UNKNOWN));
        assertEquals(1, counters.get(Counter.IGNORED_NO_ADDRESS));
        assertEquals(1, counters.get(Counter.IGNORED_OFF_LINK));
    }

    @Test
    void repliesOfOtherServersAndFramesForOtherMachinesAreIgnored() {
        inventory.put(SUN, node("sparc1", SUN, FIXED));
        RarpFrame otherServersReply = new RarpFrame(BROADCAST, mac("02:00:00:00:00:02"), RarpOp.REPLY_REVERSE,
                mac("02:00:00:00:00:02"), ip("192.0.2.2"), SUN, FIXED);
        RarpFrame toSomeoneElse = new RarpFrame(mac("02:00:00:00:00:02"), SUN, RarpOp.REQUEST_REVERSE, SUN,
                ip("0.0.0.0"), SUN, ip("0.0.0.0"));

        assertEquals(Optional.empty(), protocol.handle(otherServersReply, LINK, SERVER, SECOND));
        assertEquals(Optional.empty(), protocol.handle(toSomeoneElse, LINK, SERVER, SECOND));

        assertEquals(1, counters.get(Counter.IGNORED_NOT_REQUEST));
        assertEquals(1, counters.get(Counter.RECEIVED), "a unicast to another machine is not ours to count");
        assertTrue(events.isEmpty());
    }

    @Test
    void requestToOurOwnAddressIsAnsweredLikeABroadcast() {
        inventory.put(SUN, node("sparc1", SUN, FIXED));
        RarpFrame unicast = new RarpFrame(SERVER, SUN, RarpOp.REQUEST_REVERSE, SUN, ip("0.0.0.0"), SUN, ip("0.0.0.0"));

        assertTrue(protocol.handle(unicast, LINK, SERVER, SECOND).isPresent());
    }

    @Test
    void framesFromAGroupOrOurOwnAddressAreDroppedWithOneLogLineEach() {
        inventory.put(SUN, node("sparc1", SUN, FIXED));
        try (CapturedLog log = new CapturedLog()) {
            for (int i = 0; i < 100; i++) {
                now += SECOND.toNanos();
                assertEquals(Optional.empty(), protocol.handle(request(BROADCAST, SUN), LINK, SERVER, SECOND));
                assertEquals(Optional.empty(), protocol.handle(request(mac("01:00:5e:00:00:01"), SUN), LINK, SERVER,
                        SECOND));
                assertEquals(Optional.empty(), protocol.handle(request(SERVER, SUN), LINK, SERVER, SECOND));
            }
            assertEquals(1, log.linesContaining("would go to every machine"));
            assertEquals(1, log.linesContaining("would go to ourselves"));
        }
        assertEquals(200, counters.get(Counter.DROPPED_GROUP_SOURCE));
        assertEquals(100, counters.get(Counter.DROPPED_OWN_SOURCE));
        assertTrue(events.isEmpty());
    }

    @Test
    void oneMachineGetsOneReplyAnIntervalWhoeverAsksAboutIt() {
        inventory.put(SUN, node("sparc1", SUN, FIXED));
        Random random = new Random(903);
        int replies = 0;

        for (int i = 0; i < 1000; i++) {
            byte[] source = new byte[6];
            random.nextBytes(source);
            source[0] &= (byte) 0xFE;
            if (protocol.handle(request(HardwareAddress.ethernet(source), SUN), LINK, SERVER, SECOND).isPresent()) {
                replies++;
            }
            now += 1_000_000; // a request a millisecond
        }

        assertEquals(1, replies);
        assertEquals(999, counters.get(Counter.RATE_LIMITED));
        now += SECOND.toNanos();
        assertTrue(protocol.handle(request(SUN, SUN), LINK, SERVER, SECOND).isPresent(), "the next interval answers");
        assertEquals(4, events.size(), "two answered requests, two events each");
    }

    @Test
    void zeroIntervalAnswersEveryRequest() {
        inventory.put(SUN, node("sparc1", SUN, FIXED));

        assertTrue(protocol.handle(request(SUN, SUN), LINK, SERVER, Duration.ZERO).isPresent());
        assertTrue(protocol.handle(request(SUN, SUN), LINK, SERVER, Duration.ZERO).isPresent());
    }

    @Test
    void floodAboutMadeUpMachinesCostsCountersAndOneLogLine() {
        Random random = new Random(8035);
        try (CapturedLog log = new CapturedLog()) {
            for (int i = 0; i < 10_000; i++) {
                byte[] machine = new byte[6];
                random.nextBytes(machine);
                machine[0] &= (byte) 0xFE;
                HardwareAddress made = HardwareAddress.ethernet(machine);
                assertEquals(Optional.empty(), protocol.handle(request(made, made), LINK, SERVER, SECOND));
            }
            assertEquals(1, log.linesContaining("is not a node of the inventory"));
        }
        assertEquals(10_000, counters.get(Counter.IGNORED_UNKNOWN));
        assertTrue(events.isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    /** A broadcast "request reverse" from {@code source} about {@code machine}, as a PROM sends it. */
    private static RarpFrame request(HardwareAddress source, HardwareAddress machine) {
        return new RarpFrame(BROADCAST, source, RarpOp.REQUEST_REVERSE, source, ip("0.0.0.0"), machine, ip("0.0.0.0"));
    }

    private static Node node(String name, HardwareAddress mac, Inet4Address address) {
        return Node.builder(name, mac).address(address).build();
    }

    private static HardwareAddress mac(String text) {
        return HardwareAddress.parse(text);
    }

    private static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

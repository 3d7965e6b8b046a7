package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.START;
import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

class PeerWatchTest {

    private static final Inet4Address SELF = ip("192.0.2.1");
    private static final Inet4Address PEER = ip("192.0.2.2");
    private static final Inet4Address OTHER = ip("192.0.2.3");
    private static final InetSocketAddress FROM_PEER = new InetSocketAddress(PEER, 647);

    private final ManualClock clock = new ManualClock(START);
    private final PeerWatch watch = new PeerWatch(new PeerSettings(List.of(PEER, OTHER), 3, 647), clock);

    @Test
    void noPeerIsDownBeforeItHadTheTimeToSayItIsUp() {
        clock.advance(Duration.ofSeconds(2));
        assertTrue(watch.down().isEmpty());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Set.of(PEER, OTHER), watch.down(), "never heard, three seconds after we started");
    }

    @Test
    void aPeerIsDownThreeSecondsAfterItsLastHeartbeatAndUpWithTheNext() {
        clock.advance(Duration.ofSeconds(5));
        watch.received(FROM_PEER, heartbeatOf(PEER), Optional.of(SELF));
        clock.advance(Duration.ofMillis(2999));
        assertFalse(watch.down().contains(PEER), "one or two heartbeats lost do not move the buckets");
        clock.advance(Duration.ofMillis(1));
        assertTrue(watch.down().contains(PEER), "killed, with no goodbye");
        watch.received(FROM_PEER, heartbeatOf(PEER), Optional.of(SELF));
        assertFalse(watch.down().contains(PEER));
        PeerWatch.PeerState state = watch.states().get(0);
        assertEquals(PEER, state.address());
        assertTrue(state.up());
        assertEquals(Optional.of(clock.get()), state.lastSeen());
    }

    @Test
    void aHeartbeatFromAnAddressNotInPeersCountsForNothing() {
        clock.advance(Duration.ofSeconds(5));
        watch.received(new InetSocketAddress(ip("192.0.2.99"), 647), heartbeatOf(PEER), Optional.of(SELF));
        assertEquals(Set.of(PEER, OTHER), watch.down());
    }

    @Test
    void whatIsNotAHeartbeatCountsForNothing() {
        clock.advance(Duration.ofSeconds(5));
        for (String junk : List.of("", "hello", "diskless-peer 2 192.0.2.2 192.0.2.1", "diskless-peer 1 192.0.2.2 x",
                "diskless-peer 1 192.0.2.2 192.0.2.1," + "1".repeat(600))) {
            watch.received(FROM_PEER, junk.getBytes(StandardCharsets.US_ASCII), Optional.of(SELF));
        }
        assertTrue(watch.down().contains(PEER));
    }

    @Test
    void aPeerThatSharesTheClientsAmongOtherServersIsWarnedAboutNamingBothLists() {
        clock.advance(Duration.ofSeconds(5));
        PeerWatch other = new PeerWatch(new PeerSettings(List.of(SELF), 3, 647), clock);
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            watch.received(FROM_PEER, other.heartbeat(PEER), Optional.of(SELF));
            watch.received(FROM_PEER, other.heartbeat(PEER), Optional.of(SELF));
            String log = stderr.text();
            assertTrue(log.contains("DHCP peer 192.0.2.2 shares the clients among [192.0.2.1, 192.0.2.2], this server"
                    + " among [192.0.2.1, 192.0.2.2, 192.0.2.3]"), log);
            assertEquals(log.indexOf("shares the clients among"), log.lastIndexOf("shares the clients among"),
                    "said once a minute, not per heartbeat");
        }
        assertFalse(watch.down().contains(PEER), "it is alive all the same");
    }

    @Test
    void heartbeatsTravelOverUdp() throws Exception {
        // We send to each peer on peers.port; with the peer 127.0.0.1 we hear ourselves.
        DhcpTransport transport = DhcpTransport.choose(new DefaultThreadFactory("peer-test", true));
        EventLoopGroup loop = transport.group();
        int port = freeUdpPort();
        PeerLink link = PeerLink.open(new PeerSettings(List.of(ip("127.0.0.1")), 3, port), Optional.empty(), transport, loop,
                () -> Optional.of(ip("127.0.0.2")), () -> Instant.now().plusSeconds(10)).orElseThrow();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (link.watch().states().get(0).lastSeen().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(link.watch().states().get(0).lastSeen().isPresent(), "no heartbeat arrived in 5 s");
            assertEquals(List.of(ip("127.0.0.1"), ip("127.0.0.2")), link.watch().states().get(0).theirServers());
        } finally {
            link.close();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static int freeUdpPort() throws Exception {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private byte[] heartbeatOf(Inet4Address sender) {
        return new PeerWatch(new PeerSettings(List.of(SELF, OTHER), 3, 647), clock).heartbeat(sender);
    }
}

package org.diskless.mtftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import java.time.Clock;
import org.diskless.support.context.ClientContexts;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.support.config.Config;
import org.diskless.support.log.LogThrottle;
import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOptionAck;
import org.diskless.tftp.codec.TftpPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;

/** RFC 2090 sessions: who is master, what goes where, and when a request is left to unicast TFTP. */
class Rfc2090Test {

    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.10", 3001);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.11", 3002);
    private static final InetSocketAddress C = new InetSocketAddress("192.0.2.12", 3003);
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 40000);
    private static final InetSocketAddress GROUP_1 = new InetSocketAddress("239.255.69.1", 1760);
    private static final InetSocketAddress GROUP_2 = new InetSocketAddress("239.255.69.2", 1760);
    /** Three blocks of 512: two full, one of 276 bytes. */
    private static final long SIZE = 2 * 512 + 276;

    private final TestResolver resolver = new TestResolver().file("vmlinuz", SIZE).file("initrd", 3 * 1024);
    private final MtftpCounters counters = new MtftpCounters();
    private final List<BootEvent> events = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    /** The sessions' ports, oldest first. */
    private final List<EmbeddedChannel> ports = new ArrayList<>();
    private Set<InetSocketAddress> pxeDestinations = Set.of();
    /** Runs while a session's port is being bound, as another request would on another thread. */
    private Runnable whileBinding = () -> { };
    private Rfc2090Sessions sessions = sessions(Map.of());

    private Rfc2090Sessions sessions(Map<String, String> written) {
        Map<String, String> config = new HashMap<>(Map.of("maxBytesPerSecond", "0", "rfc2090Groups",
                "239.255.69.1-239.255.69.2"));
        config.putAll(written);
        Services services = new Services(counters, events::add, new LogThrottle(Duration.ofMinutes(1)), clock::get,
                ImmediateEventExecutor.INSTANCE, Runnable::run);
        Rfc2090Sessions made = new Rfc2090Sessions(services, new FileAccess(resolver, new ClientContexts(Optional::empty, Optional::empty, Clock.systemUTC())), port -> {
            Runnable meanwhile = whileBinding;
            whileBinding = () -> { };
            meanwhile.run();
            EmbeddedChannel channel = new EmbeddedChannel(new TftpDecoder(), port);
            channel.freezeTime();
            ports.add(channel);
            return channel.newSucceededFuture();
        }, () -> pxeDestinations);
        try {
            made.settings(MtftpSettings.parse(Config.of(config)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return made;
    }

    @AfterEach
    void releaseEverything() {
        sessions.retireAll("the test ended");
        ports.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private boolean request(InetSocketAddress client, String file, Map<String, String> options) {
        Map<String, String> all = new HashMap<>(options);
        all.put("multicast", "");
        return sessions.serve(file, all, BootContext.of(BootProtocol.TFTP, client));
    }

    private void send(int port, InetSocketAddress client, TftpPacket packet) {
        ports.get(port).writeInbound(new DefaultAddressedEnvelope<>(packet, SERVER, client));
    }

    private void elapse(Duration time) {
        clock.addAndGet(time.toNanos());
        for (EmbeddedChannel port : ports) {
            port.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
            port.runScheduledPendingTasks();
        }
    }

    private Sent next(int port) {
        return Sent.next(ports.get(port));
    }

    private Map<String, String> expectOack(int port, InetSocketAddress to) {
        Sent sent = next(port);
        assertNotNull(sent, "expected an OACK to " + to);
        assertEquals(to, sent.to());
        return assertInstanceOf(TftpOptionAck.class, sent.packet()).options();
    }

    private void expectBlock(int port, int block) {
        Sent sent = next(port);
        assertNotNull(sent, "expected block " + block + " to the group");
        assertEquals(GROUP_1, sent.to());
        assertEquals(block, sent.block());
    }

    private void expectNothing(int port) {
        Sent sent = next(port);
        assertNull(sent, () -> "expected nothing, got " + sent);
    }

    @Test
    void theFirstClientIsMasterAndEveryOtherIsToldTheGroupOnly() {
        assertTrue(request(A, "vmlinuz", Map.of()));
        assertEquals(Map.of("multicast", "239.255.69.1,1760,1"), expectOack(0, A));
        assertTrue(request(B, "vmlinuz", Map.of()));
        assertEquals(Map.of("multicast", "239.255.69.1,1760,0"), expectOack(0, B));
        assertEquals(1, ports.size(), "one session, one port");
    }

    @Test
    void clientsAskingWhileTheSessionIsBeingMadeJoinItInsteadOfTakingAGroupEach() {
        whileBinding = () -> {
            assertTrue(request(B, "vmlinuz", Map.of()));
            assertTrue(request(C, "vmlinuz", Map.of()));
        };
        assertTrue(request(A, "vmlinuz", Map.of()));
        assertEquals(1, ports.size());
        assertEquals("239.255.69.1,1760,1", expectOack(0, A).get("multicast"));
        assertEquals("239.255.69.1,1760,0", expectOack(0, B).get("multicast"));
        assertEquals("239.255.69.1,1760,0", expectOack(0, C).get("multicast"));
        assertTrue(request(new InetSocketAddress("192.0.2.13", 3004), "initrd", Map.of()));
        assertEquals("239.255.69.2,1760,1", expectOack(1, new InetSocketAddress("192.0.2.13", 3004))
                .get("multicast"), "the second group is still free");
    }

    @Test
    void eachAckOfTheMasterAsksForTheBlockAfterIt() {
        request(A, "vmlinuz", Map.of());
        expectOack(0, A);
        send(0, A, new TftpAck(0));
        expectBlock(0, 1);
        send(0, A, new TftpAck(0));
        expectNothing(0);              // a repeat: the timer covers loss
        send(0, A, new TftpAck(2));    // a master that holds block 2 already asks for 3
        expectBlock(0, 3);
        send(0, B, new TftpAck(1));
        expectNothing(0);
        assertEquals(1, counters.strangerPackets.sum());
    }

    @Test
    void whenTheMasterHasTheFileTheNextOldestClientBecomesMasterAndAsksForWhatItLacks() {
        request(A, "vmlinuz", Map.of());
        request(B, "vmlinuz", Map.of());
        request(C, "vmlinuz", Map.of());
        expectOack(0, A);
        expectOack(0, B);
        expectOack(0, C);
        send(0, A, new TftpAck(3));
        assertEquals(Map.of("multicast", "239.255.69.1,1760,1"), expectOack(0, B));
        send(0, B, new TftpAck(1));
        expectBlock(0, 2);
        send(0, C, new TftpAck(3));    // C had it all: it is done, never master
        send(0, B, new TftpAck(3));
        expectNothing(0);
        assertFalse(ports.get(0).isOpen(), "the session ends with its last client");
        assertEquals(3, events.stream().filter(e -> e.kind().equals(BootEvent.Kind.FILE_SENT)).count());
        assertEquals(3, counters.rfc2090ClientsDone.sum());
        assertTrue(request(A, "vmlinuz", Map.of()));
        assertEquals("239.255.69.1,1760,1", expectOack(1, A).get("multicast"), "the group is free again");
    }

    @Test
    void aMasterThatAnswersNothingThroughEveryRetransmissionMakesWayForTheNext() {
        request(A, "vmlinuz", Map.of());
        request(B, "vmlinuz", Map.of());
        expectOack(0, A);
        expectOack(0, B);
        for (int retry = 0; retry < MtftpSettings.DEFAULT_RETRIES; retry++) {
            elapse(Duration.ofSeconds(1));
            assertEquals("239.255.69.1,1760,1", expectOack(0, A).get("multicast"), "the OACK again");
        }
        elapse(Duration.ofSeconds(1));
        assertEquals("239.255.69.1,1760,1", expectOack(0, B).get("multicast"));
        assertEquals(1, counters.mastersLost.sum());
        BootEvent failed = events.stream().filter(e -> e.kind().equals(BootEvent.Kind.FILE_FAILED)).findFirst()
                .orElseThrow();
        assertEquals(A.getAddress(), failed.client());
        send(0, A, new TftpAck(0));
        expectNothing(0);
    }

    @Test
    void anErrorFromTheMasterMakesTheNextOneMaster() {
        request(A, "vmlinuz", Map.of());
        request(B, "vmlinuz", Map.of());
        expectOack(0, A);
        expectOack(0, B);
        send(0, A, new TftpError(TftpErrorCode.DISK_FULL, "full"));
        assertEquals("239.255.69.1,1760,1", expectOack(0, B).get("multicast"));
    }

    @Test
    void aRepeatedRequestIsToldAgainWhatItWasTold() {
        request(A, "vmlinuz", Map.of());
        request(B, "vmlinuz", Map.of());
        expectOack(0, A);
        expectOack(0, B);
        assertTrue(request(B, "vmlinuz", Map.of()));
        assertEquals("239.255.69.1,1760,0", expectOack(0, B).get("multicast"));
    }

    @Test
    void theBlockSizeAndTransferSizeAskedAreAnsweredTheBlockSizeNoLargerThanMaxBlockSize() {
        sessions = sessions(Map.of("maxBlockSize", "1024"));
        request(A, "initrd", Map.of("blksize", "1468", "tsize", "0"));
        Map<String, String> oack = expectOack(0, A);
        assertEquals("1024", oack.get("blksize"));
        assertEquals(String.valueOf(3 * 1024), oack.get("tsize"));
        send(0, A, new TftpAck(0));
        Sent block = next(0);
        assertEquals(1, block.block());
    }

    @Test
    void optionValuesThatAreNoNumbersAreLeftOutOfTheOackAndTheFileIsMulticast() {
        assertTrue(request(A, "initrd", Map.of("blksize", "foo", "tsize", "enable")));
        Map<String, String> oack = expectOack(0, A);
        assertEquals(Set.of("multicast"), oack.keySet(), oack::toString);
        send(0, A, new TftpAck(0));
        assertEquals(512, next(0).bytes(), "the default block size");
    }

    @Test
    void clientsAskingAnotherBlockSizeGetASessionOfTheirOwnOnAnotherGroup() {
        request(A, "vmlinuz", Map.of("blksize", "1024"));
        request(B, "vmlinuz", Map.of());
        assertEquals("239.255.69.1,1760,1", expectOack(0, A).get("multicast"));
        assertEquals("239.255.69.2,1760,1", expectOack(1, B).get("multicast"));
    }

    @Test
    void whenEveryGroupCarriesASessionARequestIsLeftToUnicast() {
        assertTrue(request(A, "vmlinuz", Map.of()));
        assertTrue(request(B, "initrd", Map.of()));
        assertFalse(request(C, "vmlinuz", Map.of("blksize", "1024")));
        assertEquals(1, counters.rfc2090Declined.sum());
    }

    @Test
    void aGroupAPxeFileUsesOnTheSamePortIsNeverGivenToASession() {
        pxeDestinations = Set.of(GROUP_1);
        request(A, "vmlinuz", Map.of());
        assertEquals("239.255.69.2,1760,1", expectOack(0, A).get("multicast"));
    }

    @Test
    void aClientInMaxSessionsPerClientSessionsIsLeftToUnicast() {
        sessions = sessions(Map.of("maxSessionsPerClient", "1"));
        assertTrue(request(A, "vmlinuz", Map.of()));
        assertFalse(request(new InetSocketAddress(A.getAddress(), 4000), "initrd", Map.of()));
        assertTrue(request(B, "initrd", Map.of()));
    }

    @Test
    void whatCannotBeMulticastIsLeftToUnicast() {
        resolver.generated("pxelinux.cfg/01-aa", 100).file("huge", 65_535L * 512);
        assertFalse(request(A, "pxelinux.cfg/01-aa", Map.of()));
        assertFalse(request(A, "huge", Map.of()));
        assertTrue(request(A, "huge", Map.of("blksize", "1024")), "at 1024 bytes a block it fits");
        assertFalse(request(A, "missing", Map.of()));
        assertFalse(request(A, "vmlinuz", Map.of("blksize", "4")), "no block size: unicast answers ERROR 8");
        sessions.retireAll("next");
        sessions = sessions(Map.of("rfc2090Groups", ""));
        assertFalse(request(A, "vmlinuz", Map.of()));
    }

    @Test
    void aSessionFullOfClientsLeavesTheNextToUnicast() {
        sessions = sessions(Map.of("maxClientsPerFile", "2"));
        assertTrue(request(A, "vmlinuz", Map.of()));
        assertTrue(request(B, "vmlinuz", Map.of()));
        assertFalse(request(C, "vmlinuz", Map.of()));
    }
}

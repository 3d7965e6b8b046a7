package org.diskless.mtftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import java.time.Clock;
import org.diskless.support.context.ClientContexts;
import org.diskless.api.boot.BootEvent;
import org.diskless.support.config.Config;
import org.diskless.support.log.LogThrottle;
import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpRequest;

import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * PXE MTFTP on embedded channels: the server port, a port per round, a clock and timers the test
 * moves, name resolution done at once on the test's thread.
 */
final class PxeHarness {

    static final InetSocketAddress SERVER_PORT = new InetSocketAddress("192.0.2.1", FileSettings.DEFAULT_SERVER_PORT);
    static final InetSocketAddress GROUP = new InetSocketAddress("239.255.42.1", FileSettings.DEFAULT_CLIENT_PORT);
    static final String PID = "org.diskless.mtftp.file.pxelinux";

    final TestResolver resolver = new TestResolver();
    final MtftpCounters counters = new MtftpCounters();
    final List<BootEvent> events = new ArrayList<>();
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final EmbeddedChannel serverPort;
    /** The ports the rounds were sent from, oldest first (a file's rounds share one while it is in use). */
    final List<EmbeddedChannel> roundPorts = new ArrayList<>();
    final PxeFiles files;
    final Services services;
    MtftpSettings settings;
    /** Where file work runs: at once, unless a test holds it back. */
    Executor fileWork = Runnable::run;

    PxeHarness() throws Exception {
        this(Map.of());
    }

    /** A server with {@code serverConfig}, unpaced unless it says otherwise. */
    PxeHarness(Map<String, Object> serverConfig) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of("maxBytesPerSecond", "0"));
        config.putAll(serverConfig);
        settings = MtftpSettings.parse(Config.of(config));
        serverPort = new EmbeddedChannel();
        serverPort.freezeTime();
        services = new Services(counters, events::add, new LogThrottle(Duration.ofMinutes(1)), clock::get,
                serverPort.eventLoop(), task -> fileWork.execute(task));
        files = new PxeFiles(services, new FileAccess(resolver, new ClientContexts(Optional::empty, Optional::empty, Clock.systemUTC())), port -> {
            EmbeddedChannel channel = new EmbeddedChannel(port);
            channel.freezeTime(); // timers move with the test's clock only
            roundPorts.add(channel);
            return channel.newSucceededFuture();
        });
        serverPort.pipeline().addLast(new TftpDecoder(), new ServerPortHandler(SERVER_PORT.getPort(), files, services));
    }

    static FileSettings file(String name) throws Exception {
        return FileSettings.parse(Config.of(Map.of("file", name, "group", GROUP.getAddress().getHostAddress())));
    }

    /** Serves {@code name} under {@link #PID} with the default ports and times. */
    PxeHarness serving(String name) throws Exception {
        Map<String, FileSettings> served = new HashMap<>();
        served.put(PID, file(name));
        files.update(served, settings);
        settle();
        return this;
    }

    /** {@code client} sends a read request for {@code name} to the server port. */
    void open(InetSocketAddress client, String name) {
        open(client, name, "octet");
    }

    void open(InetSocketAddress client, String name, String mode) {
        serverPort.writeInbound(new DefaultAddressedEnvelope<TftpPacket, InetSocketAddress>(
                TftpRequest.read(name, mode, Map.of()), SERVER_PORT, client));
        settle();
    }

    /** {@code client} sends {@code packet} to rounds' port {@code round} (0: the first). */
    void send(int round, InetSocketAddress client, TftpPacket packet) {
        roundPorts.get(round).writeInbound(new DefaultAddressedEnvelope<>(packet, SERVER_PORT, client));
        settle();
    }

    void ack(int round, InetSocketAddress client, int block) {
        send(round, client, new TftpAck(block));
    }

    /** Runs what is queued on every loop. */
    void settle() {
        serverPort.runPendingTasks();
        roundPorts.forEach(EmbeddedChannel::runPendingTasks);
    }

    /** Lets {@code time} pass on the clock and on every channel's timers. */
    void elapse(Duration time) {
        clock.addAndGet(time.toNanos());
        serverPort.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        serverPort.runScheduledPendingTasks();
        for (EmbeddedChannel port : new ArrayList<>(roundPorts)) {
            port.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
            port.runScheduledPendingTasks();
        }
        settle();
    }

    /** Lets time pass one second at a time, as a client would see it. */
    void elapseSeconds(int seconds) {
        for (int i = 0; i < seconds; i++) {
            elapse(Duration.ofSeconds(1));
        }
    }

    /** The next datagram sent from round {@code round}'s port, or null. */
    Sent nextFromRound(int round) {
        return Sent.next(roundPorts.get(round));
    }

    /** The next datagram sent from the server port, or null. */
    Sent nextFromServerPort() {
        return Sent.next(serverPort);
    }

    /** Asserts the next datagram from round {@code round} is DATA {@code block} to {@code to}. */
    Sent expectData(int round, int block, InetSocketAddress to) {
        Sent sent = nextFromRound(round);
        assertNotNull(sent, "expected DATA " + block + " to " + to + ", nothing was sent");
        assertEquals(to, sent.to());
        assertEquals(block, sent.block());
        return sent;
    }

    void expectNothingFromRound(int round) {
        Sent sent = nextFromRound(round);
        assertNull(sent, () -> "expected nothing, got " + sent);
    }

    TftpError expectErrorFromServerPort(InetSocketAddress to) {
        Sent sent = nextFromServerPort();
        assertNotNull(sent, "expected an ERROR to " + to);
        assertEquals(to, sent.to());
        return assertInstanceOf(TftpError.class, sent.packet());
    }

    /** Every datagram still queued, released. */
    int drain(int round) {
        int n = 0;
        Object message;
        while ((message = roundPorts.get(round).readOutbound()) != null) {
            ReferenceCountUtil.release(message);
            n++;
        }
        return n;
    }

    /** Ends every round, closes every file, and releases what is still queued on any port. */
    void close() {
        files.retireAll("the test ended");
        settle();
        for (EmbeddedChannel channel : roundPorts) {
            channel.finishAndReleaseAll();
        }
        serverPort.finishAndReleaseAll();
    }

    GroupView view() {
        return files.views().get(0);
    }

    List<BootEvent> events(BootEvent.Kind kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }
}

package org.diskless.support.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.diskless.api.HardwareAddress;
import org.diskless.link.EthernetLinks;
import org.diskless.link.EthernetPort;
import org.diskless.link.LinkException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serving a protocol on a raw port: idle, retrying, answering, surviving what a frame does to it. */
class LinkServingTest {

    private static final Logger LOG = LoggerFactory.getLogger(LinkServingTest.class);
    private static final HardwareAddress OURS = HardwareAddress.parse("02:00:00:00:00:01");

    private final FakeLinks links = new FakeLinks();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger notSent = new AtomicInteger();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void eachFrameIsAnsweredOutOfTheSamePort() throws InterruptedException {
        LinkServing serving = serving(echo());

        serving.serveOn(Optional.of("eth1"));
        links.port.frames.add(new byte[] {1, 2, 3});

        assertEquals("1,2,3", string(links.port.sent.poll(5, TimeUnit.SECONDS)));
        assertEquals(Optional.of("eth1"), serving.servingOn());
        serving.stop();
        assertTrue(links.port.closed, "stopping closes the port");
        assertEquals(Optional.empty(), serving.servingOn());
    }

    @Test
    void withoutAnInterfaceItIsIdleAndSaysSo() {
        String log = logged(() -> serving(echo()).serveOn(Optional.empty()));

        assertTrue(log.contains("TEST is idle: no interface configured (set 'interface' in etc/test.cfg)"), log);
        assertEquals(0, links.opened.get());
    }

    @Test
    void anInterfaceThatCannotBeOpenedIsLoggedOnceAndRetried() throws InterruptedException {
        links.failures.set(2);
        LinkServing[] serving = new LinkServing[1];
        String log = logged(() -> {
            serving[0] = new LinkServing("TEST", "etc/test.cfg", links, 0x8035, List.of(), echo(), scheduler, LOG,
                    Duration.ofMillis(50));
            serving[0].serveOn(Optional.of("eth1"));
            awaitServing(serving[0]);
        });

        assertEquals(Optional.of("eth1"), serving[0].servingOn());
        assertEquals(1, log.lines().filter(l -> l.contains("TEST cannot serve on eth1: no eth1")).count(), log);
        assertEquals(3, links.opened.get());
        serving[0].stop();
    }

    @Test
    void aProtocolThatThrowsCostsThatFrameNotTheThread() throws InterruptedException {
        LinkServing serving = serving(new LinkServing.Protocol() {
            @Override
            public boolean answer(ByteBuffer frame, EthernetPort port, ByteBuffer reply) {
                if (frame.get(frame.position()) == 9) {
                    throw new IllegalStateException("a bug");
                }
                reply.put(frame);
                return true;
            }

            @Override
            public void notSent() {
                notSent.incrementAndGet();
            }
        });
        serving.serveOn(Optional.of("eth1"));

        logged(() -> {
            links.port.frames.add(new byte[] {9});
            links.port.frames.add(new byte[] {7});
            try {
                assertEquals("7", string(links.port.sent.poll(5, TimeUnit.SECONDS)));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        serving.stop();
    }

    @Test
    void aReplyTheLinkRefusesIsCountedByTheProtocol() throws InterruptedException {
        links.port.refuseSends = true;
        LinkServing serving = serving(echo());
        serving.serveOn(Optional.of("eth1"));

        logged(() -> links.port.frames.add(new byte[] {1, 2, 3, 4, 5, 6, 7}));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (notSent.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, notSent.get());
        serving.stop();
    }

    // ---------------------------------------------------------------- helpers

    private LinkServing serving(LinkServing.Protocol protocol) {
        return new LinkServing("TEST", "etc/test.cfg", links, 0x8035, List.of(), protocol, scheduler, LOG);
    }

    private LinkServing.Protocol echo() {
        return new LinkServing.Protocol() {
            @Override
            public boolean answer(ByteBuffer frame, EthernetPort port, ByteBuffer reply) {
                reply.put(frame);
                return true;
            }

            @Override
            public void notSent() {
                notSent.incrementAndGet();
            }
        };
    }

    private static void awaitServing(LinkServing serving) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (serving.servingOn().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static String string(byte[] frame) {
        StringBuilder text = new StringBuilder();
        for (byte b : frame) {
            text.append(text.length() == 0 ? "" : ",").append(b);
        }
        return text.toString();
    }

    /** What is logged (slf4j-simple writes to System.err) while {@code action} runs. */
    private static String logged(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static final class FakeLinks implements EthernetLinks {
        final FakePort port = new FakePort();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();

        @Override
        public EthernetPort open(String interfaceName, int protocol, Collection<HardwareAddress> groups)
                throws LinkException {
            opened.incrementAndGet();
            if (failures.getAndDecrement() > 0) {
                throw new LinkException(LinkException.Reason.NO_SUCH_INTERFACE, "no " + interfaceName);
            }
            port.name = interfaceName;
            return port;
        }
    }

    private static final class FakePort implements EthernetPort {
        final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
        volatile boolean closed;
        volatile boolean refuseSends;
        volatile String name;

        @Override
        public String interfaceName() {
            return name;
        }

        @Override
        public HardwareAddress hardwareAddress() {
            return OURS;
        }

        @Override
        public int receive(ByteBuffer frame, Duration timeout) throws IOException {
            try {
                byte[] next = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    return 0;
                }
                frame.put(next);
                return next.length;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }

        @Override
        public void send(ByteBuffer frame) throws IOException {
            if (refuseSends) {
                throw new IOException("link down");
            }
            byte[] copy = new byte[frame.remaining()];
            frame.get(copy);
            sent.add(copy);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}

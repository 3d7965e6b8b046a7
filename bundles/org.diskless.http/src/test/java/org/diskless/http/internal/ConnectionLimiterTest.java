package org.diskless.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

class ConnectionLimiterTest {

    private final HttpCounters counters = new HttpCounters();
    private final HttpSettings limits = new HttpSettings(new InetSocketAddress(8080), 3, 2, Duration.ofSeconds(60));
    private final ConnectionLimiter limiter = new ConnectionLimiter(() -> limits, counters);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeAll() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void aClientOverItsLimitIsAnswered503AndClosed() {
        EmbeddedChannel first = connect("192.0.2.20");
        EmbeddedChannel second = connect("192.0.2.20");
        EmbeddedChannel third = connect("192.0.2.20");
        assertTrue(first.isOpen() && second.isOpen());
        assertFalse(third.isOpen());
        assertTrue(written(third).startsWith("HTTP/1.1 503 Service Unavailable\r\n"));
        assertEquals(1L, counters.snapshot().get("connections_refused"));
        assertTrue(connect("192.0.2.21").isOpen(), "another client has its own share");
    }

    @Test
    void theTotalIsBoundedAcrossClients() {
        for (int i = 1; i <= 3; i++) {
            assertTrue(connect("192.0.2." + i).isOpen());
        }
        assertFalse(connect("192.0.2.4").isOpen());
        assertEquals(3, limiter.open());
    }

    @Test
    void aClosedConnectionGivesItsPlaceBack() {
        EmbeddedChannel first = connect("192.0.2.20");
        connect("192.0.2.20");
        first.close();
        assertTrue(connect("192.0.2.20").isOpen());
        assertEquals(2, limiter.open());
    }

    private EmbeddedChannel connect(String client) {
        InetSocketAddress remote = new InetSocketAddress(client, 40000 + channels.size());
        EmbeddedChannel channel = new EmbeddedChannel(false, false) {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
        channel.pipeline().addLast(limiter);
        try {
            channel.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        channels.add(channel);
        return channel;
    }

    private static String written(EmbeddedChannel channel) {
        ByteBuf out = channel.readOutbound();
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }
}

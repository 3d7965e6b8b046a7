package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The DHCP socket layer on loopback, with the transport the server picks here (epoll on Linux:
 * the native library is on the test class path): datagrams that queue up while the loop is busy
 * and are then read several per call each arrive whole, in order, with their sender, and the
 * replies sent back in one batch all reach the client.
 */
class DhcpTransportTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int MAX_DATAGRAM = 9000;
    private static final int DATAGRAMS = 3 * DhcpTransport.DATAGRAMS_PER_READ + 5;

    private final DhcpTransport transport = DhcpTransport.choose(new DefaultThreadFactory("dhcp-transport-test", true));

    @AfterEach
    void stop() {
        transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static final boolean LINUX = System.getProperty("os.name").toLowerCase().contains("linux");

    @Test
    void onLinuxTheTransportIsEpoll() {
        if (LINUX) {
            assertTrue(Epoll.isAvailable(), "Netty's epoll library should load: " + Epoll.unavailabilityCause());
            assertEquals("epoll", transport.name());
        }
    }

    @Test
    void queuedDatagramsArriveWholeInOrderAndEveryBatchedReplyLeaves() throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        BatchedSender replies = new BatchedSender(transport.group().next());
        Channel server = listen(new Bootstrap(), new InetSocketAddress(LOOPBACK, 0), (ctx, in) -> {
            byte[] content = ByteBufUtil.getBytes(in.content());
            received.add(content);
            // Answer with the first byte, to the sender the datagram came from.
            replies.send(ctx.channel(), new io.netty.channel.socket.DatagramPacket(
                    Unpooled.wrappedBuffer(new byte[]{content[0]}), in.sender()));
        });
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(5000);
            List<byte[]> sent = new ArrayList<>();
            // Hold the loop busy so the datagrams queue in the socket and are read in batches.
            server.eventLoop().submit(() -> sleep(300));
            for (int i = 0; i < DATAGRAMS; i++) {
                byte[] datagram = new byte[i == 7 ? MAX_DATAGRAM : 240 + 37 * i];
                Arrays.fill(datagram, (byte) i);
                datagram[datagram.length - 1] = (byte) ~i; // the last byte too must be this datagram's
                sent.add(datagram);
                client.send(new DatagramPacket(datagram, datagram.length, server.localAddress()));
            }

            for (int i = 0; i < DATAGRAMS; i++) {
                byte[] got = received.poll(5, TimeUnit.SECONDS);
                assertArrayEquals(sent.get(i), got, "datagram " + i);
            }
            byte[] reply = new byte[16];
            for (int i = 0; i < DATAGRAMS; i++) {
                DatagramPacket in = new DatagramPacket(reply, reply.length);
                client.receive(in);
                assertEquals(1, in.getLength());
                assertEquals((byte) i, reply[0], "reply " + i);
            }
        } finally {
            server.close().sync();
        }
    }

    @Test
    void aSocketBoundToAnInterfaceTakesWhatArrivesThereAndTellsWhereItWasSent() throws Exception {
        // Only off Linux may this be skipped: there Netty has no epoll, so no socket binds to an
        // interface. On Linux epoll must load (onLinuxTheTransportIsEpoll), and so must this.
        assumeTrue(LINUX, "binding to an interface needs epoll, which runs on Linux only");
        assertTrue(transport.bindsToDevice(), "the epoll transport binds sockets to an interface");
        BlockingQueue<io.netty.channel.socket.DatagramPacket> received = new LinkedBlockingQueue<>();
        Bootstrap bootstrap = new Bootstrap();
        transport.bindToDevice(bootstrap, "lo");
        transport.recordDestination(bootstrap);
        Channel server = listen(bootstrap, new InetSocketAddress(0), (ctx, in) -> received.add(in.retainedDuplicate()));
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            // Held back, so that they are read several per call as under load.
            server.eventLoop().submit(() -> sleep(200));
            for (int i = 0; i < 3; i++) {
                client.send(new DatagramPacket(new byte[240], 240, new InetSocketAddress(LOOPBACK, port)));
            }

            for (int i = 0; i < 3; i++) {
                io.netty.channel.socket.DatagramPacket in = received.poll(5, TimeUnit.SECONDS);
                assertTrue(in != null, "datagram " + i + " did not arrive");
                try {
                    assertEquals(new InetSocketAddress(LOOPBACK, port), in.recipient(),
                            "where it was sent, not the wildcard the socket is bound to");
                } finally {
                    in.release();
                }
            }
        } finally {
            server.close().sync();
        }
    }

    @Test
    void anInterfaceThatDoesNotExistCannotBeBoundTo() {
        // Only off Linux may this be skipped: there Netty has no epoll, so no socket binds to an
        // interface. On Linux epoll must load (onLinuxTheTransportIsEpoll), and so must this.
        assumeTrue(LINUX, "binding to an interface needs epoll, which runs on Linux only");
        assertTrue(transport.bindsToDevice(), "the epoll transport binds sockets to an interface");
        Bootstrap bootstrap = new Bootstrap().group(transport.group()).channel(transport.channelType())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel channel) {
                    }
                });
        transport.bindToDevice(bootstrap, "nosuchnic0");

        assertFalse(bootstrap.bind(new InetSocketAddress(0)).awaitUninterruptibly().isSuccess());
    }

    /** A channel of the transport under test, bound to {@code address}, handing each datagram to {@code read}. */
    private Channel listen(Bootstrap bootstrap, InetSocketAddress address,
                           BiConsumer<ChannelHandlerContext, io.netty.channel.socket.DatagramPacket> read)
            throws InterruptedException {
        return bootstrap.group(transport.group()).channel(transport.channelType())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel channel) {
                        transport.configureReads(channel, MAX_DATAGRAM);
                        channel.pipeline().addLast(new SimpleChannelInboundHandler<io.netty.channel.socket.DatagramPacket>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, io.netty.channel.socket.DatagramPacket in) {
                                read.accept(ctx, in);
                            }
                        });
                    }
                })
                .bind(address).sync().channel();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

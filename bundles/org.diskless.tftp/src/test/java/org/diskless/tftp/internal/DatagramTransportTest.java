package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The transport on this machine's loopback: epoll on Linux x86_64, where Netty's native library is on the classpath. */
class DatagramTransportTest {

    private final DatagramTransport transport = DatagramTransport.choose(1,
            new DefaultThreadFactory("transport-test", true), DefaultSelectStrategyFactory.INSTANCE);

    @AfterEach
    void stop() {
        transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void onLinuxX86ItIsEpollAndTrainsMayHoldDatagramsAsLargeAsTheInterfaceCarries() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "Netty's native library on the test classpath is for Linux x86_64");
        assertTrue(Epoll.isAvailable(), "Netty's epoll library did not load: " + Epoll.unavailabilityCause());
        assertEquals("epoll with UDP segmentation offload", transport.name());
        assertEquals(EpollDatagramChannel.class, transport.channelType());
        Channel connected = new Bootstrap().group(transport.group()).channel(transport.channelType())
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new InetSocketAddress("127.0.0.1", 9), new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly().channel();
        try {
            int loopbackMtu = NetworkInterface.getByName("lo").getMTU();
            assertEquals(loopbackMtu - 20 - 8, transport.maxSegmentPayload(connected));
            assertEquals(loopbackMtu - 20 - 8, transport.maxSegmentPayload(connected), "and again from what it knows");
        } finally {
            connected.close().syncUninterruptibly();
        }
    }
}

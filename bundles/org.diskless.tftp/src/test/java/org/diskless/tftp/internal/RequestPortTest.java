package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The request port on this machine's loopback, with the transport the server runs (epoll here). */
class RequestPortTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final DatagramTransport transport = DatagramTransport.choose(1,
            new DefaultThreadFactory("request-port-test", true), DefaultSelectStrategyFactory.INSTANCE);

    @AfterEach
    void stop() {
        transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void noOtherSocketCanBindBesideTheRequestPortEvenAskingToShareIt() throws Exception {
        Channel requests = RequestPort.bind(transport, new InetSocketAddress("127.0.0.1", 0),
                new ChannelInboundHandlerAdapter(), TIMEOUT);
        try {
            assertFalse(requests.config().getOption(io.netty.channel.ChannelOption.SO_REUSEADDR), "SO_REUSEADDR");
            if (requests.config().getOptions().containsKey(EpollChannelOption.SO_REUSEPORT)) {
                assertFalse(requests.config().getOption(EpollChannelOption.SO_REUSEPORT), "SO_REUSEPORT");
            }
            InetSocketAddress taken = (InetSocketAddress) requests.localAddress();
            try (DatagramChannel other = DatagramChannel.open()) {
                other.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                assertThrows(BindException.class, () -> other.bind(taken), "a second socket shared " + taken);
            }
            try (DatagramChannel wildcard = DatagramChannel.open()) {
                wildcard.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                assertThrows(BindException.class, () -> wildcard.bind(new InetSocketAddress(taken.getPort())),
                        "a socket on every address shared port " + taken.getPort());
            }
        } finally {
            requests.close().syncUninterruptibly();
        }
    }

    @Test
    void aPortAnotherProgramHoldsIsRefusedNamingThatAndNotPrivileges() throws IOException {
        try (DatagramChannel other = DatagramChannel.open()) {
            other.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            other.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress taken = (InetSocketAddress) other.getLocalAddress();

            BindException refused = assertThrows(BindException.class, () -> RequestPort.bind(transport, taken,
                    new ChannelInboundHandlerAdapter(), TIMEOUT));

            assertTrue(refused.getMessage().startsWith("another program already listens on UDP port "
                    + taken.getPort() + " of 127.0.0.1"), refused.getMessage());
            assertFalse(refused.getMessage().contains("root"), refused.getMessage());
        }
    }

    @Test
    void anAddressThisHostLacksIsSaidToBeSoNotBlamedOnPrivileges() {
        InetSocketAddress elsewhere = new InetSocketAddress("192.0.2.123", 69); // TEST-NET-1: on no interface here

        BindException refused = assertThrows(BindException.class, () -> RequestPort.bind(transport, elsewhere,
                new ChannelInboundHandlerAdapter(), TIMEOUT));

        assertTrue(refused.getMessage().startsWith("192.0.2.123 is not an address of this host"), refused.getMessage());
        assertFalse(refused.getMessage().contains("CAP_NET_BIND_SERVICE"), refused.getMessage());
    }
}

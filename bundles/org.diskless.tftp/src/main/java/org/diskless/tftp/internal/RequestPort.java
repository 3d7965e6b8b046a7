package org.diskless.tftp.internal;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;

/**
 * The well-known port requests arrive on, bound alone. Not with {@code SO_REUSEADDR} (nor
 * {@code SO_REUSEPORT}, which Netty leaves off): with it Linux lets any other UDP socket that sets
 * it too — a second Diskless, a DHCP server told port 69, a tftpd — bind the same port beside
 * ours, and the kernel then splits the requests between the two without a word. Without it, the
 * second bind fails, whichever comes first, and {@link #explain} says why in words an operator
 * can act on.
 */
final class RequestPort {

    /** A request is a few hundred bytes; RFC 2347 options stay far below this. */
    private static final int REQUEST_BUFFER = 4096;

    private RequestPort() {
    }

    /**
     * The bound channel with {@code handler} in its pipeline.
     *
     * @throws BindException naming the address and what to fix
     */
    static Channel bind(DatagramTransport transport, InetSocketAddress address, ChannelHandler handler,
                        Duration timeout) throws BindException {
        ChannelFuture future = new Bootstrap()
                .group(transport.group())
                .channel(transport.channelType())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(REQUEST_BUFFER))
                .handler(handler)
                .bind(address);
        if (future.awaitUninterruptibly(timeout.toNanos(), TimeUnit.NANOSECONDS) && future.isSuccess()) {
            return future.channel();
        }
        future.channel().close();
        throw new BindException(explain(address, future.cause()));
    }

    /** Why {@code address} could not be bound, saying what to fix. */
    static String explain(InetSocketAddress address, Throwable cause) {
        InetAddress host = address.getAddress();
        String error = cause == null ? "timed out" : String.valueOf(cause.getMessage());
        if (!host.isAnyLocalAddress() && !isOnThisHost(host)) {
            return host.getHostAddress() + " is not an address of this host (no interface has it): set 'address' to"
                    + " one of its addresses, or 0.0.0.0 for every interface (" + error + ")";
        }
        if (error.contains("in use")) {
            return "another program already listens on UDP port " + address.getPort() + " of "
                    + host.getHostAddress() + " (a second Diskless, a tftpd, dnsmasq?), and TFTP does not share its"
                    + " port: stop that program, or set 'address' or 'port' (" + error + ")";
        }
        if (error.contains("ermission denied") && address.getPort() < 1024) {
            return "port " + address.getPort() + " needs root or CAP_NET_BIND_SERVICE, or set 'port' above 1023"
                    + " (" + error + ")";
        }
        return error;
    }

    private static boolean isOnThisHost(InetAddress host) {
        if (host.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(host) != null;
        } catch (SocketException e) {
            return true; // cannot tell: let the kernel's own words stand
        }
    }
}

package org.diskless.http.internal;

import java.util.concurrent.ThreadFactory;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The TCP transport: Linux epoll when its native library loaded (sendfile straight from Netty's
 * native code), else NIO (whose FileChannel.transferTo is sendfile too on Linux).
 */
record StreamTransport(String name, EventLoopGroup group, Class<? extends ServerChannel> serverChannel) {

    static StreamTransport choose(int threads, ThreadFactory threadFactory) {
        if (Epoll.isAvailable()) {
            return new StreamTransport("epoll", new EpollEventLoopGroup(threads, threadFactory),
                    EpollServerSocketChannel.class);
        }
        return new StreamTransport("NIO (epoll unavailable: " + Epoll.unavailabilityCause().getMessage() + ")",
                new NioEventLoopGroup(threads, threadFactory), NioServerSocketChannel.class);
    }
}

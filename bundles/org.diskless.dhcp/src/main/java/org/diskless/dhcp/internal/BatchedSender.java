package org.diskless.dhcp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * Sends DHCP replies in batches. A reply is written at once, but flushed by a task the event loop
 * runs once it has handled every datagram and task ready now: the replies to a burst of requests,
 * and the acknowledgements of one group commit of the lease store, then leave together (one
 * {@code sendmmsg(2)} on epoll) instead of one system call each. The delay this adds is the rest
 * of that round of the loop, microseconds. Only the event loop that owns the channels calls it.
 */
final class BatchedSender {

    private final Executor loop;
    private final List<Channel> unflushed = new ArrayList<>(4);
    private final Runnable flushAll = this::flushAll;

    /** @param loop the event loop of the channels, which runs the flush after what it has queued */
    BatchedSender(Executor loop) {
        this.loop = loop;
    }

    /** Writes {@code reply} to {@code channel}; it leaves with the next batch. */
    ChannelFuture send(Channel channel, Object reply) {
        ChannelFuture written = channel.write(reply);
        boolean firstOfBatch = unflushed.isEmpty();
        if (!unflushed.contains(channel)) {
            unflushed.add(channel);
        }
        if (firstOfBatch) {
            loop.execute(flushAll);
        }
        return written;
    }

    private void flushAll() {
        for (int i = 0; i < unflushed.size(); i++) {
            unflushed.get(i).flush();
        }
        unflushed.clear();
    }
}

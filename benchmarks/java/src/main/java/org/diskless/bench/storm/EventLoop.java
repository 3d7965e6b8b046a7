package org.diskless.bench.storm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The generator's one thread: a selector over every socket of every node, and the nodes' timers.
 * Timers are entries in a priority queue, at most one live entry per timer. Most moves push a
 * deadline later (every MTFTP listener moves its reopen timer at every block it hears): such a
 * move only records the new deadline, and the entry, when it comes up, is queued again for it.
 * An entry per move instead left millions of stale entries in the queue in a storm, and the
 * generator, not the server, set the pace of every block. A move to an earlier deadline queues
 * a new entry and makes the old one stale, recognised as such when it comes up.
 */
final class EventLoop implements Scheduler, AutoCloseable {

    /** Datagrams read from one socket before the others get their turn. */
    private static final int READS_PER_TURN = 64;

    private final Selector selector;
    private final StormTally tally;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(Comparator.comparingLong(Entry::at));
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);

    EventLoop(StormTally tally) throws IOException {
        this.selector = Selector.open();
        this.tally = tally;
    }

    @Override
    public long now() {
        return System.nanoTime();
    }

    @Override
    public Timer timer(Runnable onExpiry) {
        return new LoopTimer(onExpiry);
    }

    /**
     * A socket bound to {@code local}, configured by {@code options} before it binds, its datagrams
     * handed to {@code handler} on this thread.
     */
    Socket open(InetSocketAddress local, Network.DatagramHandler handler, SocketOptions options) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.configureBlocking(false);
            options.apply(channel);
            channel.bind(local);
            Socket socket = new Socket(channel, handler);
            channel.register(selector, SelectionKey.OP_READ, socket);
            return socket;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Runs until {@code finished} says so or {@code deadline} (nanoseconds) has passed. */
    void run(long deadline, BooleanSupplier finished) throws IOException {
        while (!finished.getAsBoolean()) {
            long now = now();
            if (now >= deadline) {
                return;
            }
            long next = Math.min(deadline, runDueTimers(now));
            if (finished.getAsBoolean()) {
                return; // a timer ended the last node: no reason to sleep until the deadline
            }
            long wait = next - now();
            int ready = wait <= 0 ? selector.selectNow()
                    : selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)));
            if (ready > 0) {
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid()) {
                        drain((Socket) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }

    /** Runs every timer due by {@code now}; returns when the next one is due. */
    private long runDueTimers(long now) {
        Entry head;
        while ((head = queue.peek()) != null && head.at() <= now) {
            queue.poll();
            head.timer().due(head, now);
        }
        return head == null ? Long.MAX_VALUE : head.at();
    }

    /** Timer entries in the queue, stale ones included (for tests). */
    int queuedTimerEntries() {
        return queue.size();
    }

    private void drain(Socket socket) {
        for (int i = 0; i < READS_PER_TURN && socket.channel.isOpen(); i++) {
            buffer.clear();
            SocketAddress from;
            try {
                from = socket.channel.receive(buffer);
            } catch (IOException e) {
                return; // an ICMP error reported on the socket: the next read goes on
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            socket.handler.onDatagram(buffer, (InetSocketAddress) from);
        }
    }

    @Override
    public void close() throws IOException {
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }

    /** What to set on a socket before it binds. */
    interface SocketOptions {

        void apply(DatagramChannel channel) throws IOException;
    }

    /** One bound socket of the loop. */
    final class Socket implements Network.Link {

        private final DatagramChannel channel;
        private final Network.DatagramHandler handler;

        private Socket(DatagramChannel channel, Network.DatagramHandler handler) {
            this.channel = channel;
            this.handler = handler;
        }

        DatagramChannel channel() {
            return channel;
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) {
            try {
                if (channel.send(datagram.duplicate(), to) == 0) {
                    tally.sendsLost++;
                }
            } catch (IOException e) {
                tally.sendsLost++;
                if (tally.firstSendError == null) {
                    tally.firstSendError = "to " + to + ": " + e;
                }
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Entry(long at, LoopTimer timer, long generation) {
    }

    private final class LoopTimer implements Timer {

        private final Runnable action;
        private long generation;
        private boolean armed;
        private long deadline;
        /** The deadline of this timer's live entry in the queue, while it has one. */
        private boolean queued;
        private long queuedAt;

        private LoopTimer(Runnable action) {
            this.action = action;
        }

        @Override
        public void at(long deadline) {
            this.deadline = deadline;
            armed = true;
            if (!queued || deadline < queuedAt) {
                enqueue();
            }
        }

        @Override
        public void cancel() {
            armed = false;
        }

        private void enqueue() {
            generation++;
            queued = true;
            queuedAt = deadline;
            queue.add(new Entry(deadline, this, generation));
        }

        /** Its entry {@code entry} came up at {@code now}: runs, waits on, or drops it. */
        private void due(Entry entry, long now) {
            if (entry.generation() != generation) {
                return; // replaced by an entry for an earlier deadline
            }
            queued = false;
            if (!armed) {
                return;
            }
            if (deadline > now) {
                enqueue(); // moved later since it was queued
                return;
            }
            armed = false;
            action.run();
        }
    }
}

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
 * Timers are entries in a priority queue; moving or cancelling one leaves its old entry behind,
 * recognised as stale when it comes up, which is cheaper than removing it from the middle of the
 * queue on every packet.
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
            LoopTimer timer = head.timer();
            if (timer.armed && timer.generation == head.generation()) {
                timer.armed = false;
                timer.action.run();
            }
        }
        return head == null ? Long.MAX_VALUE : head.at();
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

        private LoopTimer(Runnable action) {
            this.action = action;
        }

        @Override
        public void at(long deadline) {
            generation++;
            armed = true;
            queue.add(new Entry(deadline, this, generation));
        }

        @Override
        public void cancel() {
            generation++;
            armed = false;
        }
    }
}

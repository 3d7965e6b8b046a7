package org.diskless.bench.storm;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Sockets that record what is sent and let a test deliver datagrams and group blocks. */
final class RecordingNetwork implements Network {

    record Sent(ByteBuffer datagram, InetSocketAddress to) {

        int opcode() {
            return TftpWire.opcode(datagram);
        }

        /** The block an ACK acknowledges. */
        int block() {
            return TftpWire.block(datagram);
        }
    }

    final List<Sent> sent = new ArrayList<>();
    final List<GroupListener> listening = new ArrayList<>();
    DatagramHandler handler;
    int opened;
    int closed;

    @Override
    public Link open(Inet4Address local, DatagramHandler handler) {
        this.handler = handler;
        opened++;
        return new Link() {
            @Override
            public void send(ByteBuffer datagram, InetSocketAddress to) {
                ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram.duplicate()).flip();
                sent.add(new Sent(copy, to));
            }

            @Override
            public void close() {
                closed++;
            }
        };
    }

    @Override
    public Membership join(MtftpChannel channel, GroupListener listener) {
        listening.add(listener);
        return () -> listening.remove(listener);
    }

    /** A datagram from {@code from} to the last socket opened. */
    void deliver(ByteBuffer datagram, InetSocketAddress from) {
        handler.onDatagram(datagram, from);
    }

    /** A block on the group, checked as the real group checks it, to every listener. */
    void multicast(ExpectedFile file, int block) {
        ByteBuffer payload = TftpWire.payload(TftpPackets.data(file, block, MtftpFetch.BLOCK_SIZE));
        boolean intact = file.intact(block, MtftpFetch.BLOCK_SIZE, payload);
        for (GroupListener listener : List.copyOf(listening)) {
            listener.onGroupData(block, payload.remaining(), intact);
        }
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }

    List<Sent> sentOf(int opcode) {
        return sent.stream().filter(s -> s.opcode() == opcode).toList();
    }
}

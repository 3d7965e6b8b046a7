package org.diskless.bench.storm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes' sockets on the client namespace. Every leased address lies in a pool routed to the
 * namespace's loopback ({@code ip route add local POOL dev lo}), so one process can bind a socket
 * to each and the namespace answers ARP for them all.
 *
 * <p>One socket per MTFTP group, bound to the group address and client port (so it takes that
 * group's datagrams only) and joined on the boot network's interface, serves every node listening
 * to it: the server sends each multicast block once, and it is read once, checked once per file,
 * and handed to each listener.
 */
final class StormNetwork implements Network {

    private final EventLoop loop;
    private final NetworkInterface boot;
    private final StormTally tally;
    private final Map<InetSocketAddress, Group> groups = new HashMap<>();

    StormNetwork(EventLoop loop, NetworkInterface boot, StormTally tally) {
        this.loop = loop;
        this.boot = boot;
        this.tally = tally;
    }

    @Override
    public Link open(Inet4Address local, DatagramHandler handler) throws IOException {
        return loop.open(new InetSocketAddress(local, 0), handler, channel -> { });
    }

    @Override
    public Membership join(MtftpChannel channel, GroupListener listener) throws IOException {
        if (boot == null) {
            throw new IOException("the generator was given no --interface to join MTFTP groups on");
        }
        InetSocketAddress key = new InetSocketAddress(channel.group(), channel.clientPort());
        Group group = groups.get(key);
        if (group == null) {
            group = new Group();
            EventLoop.Socket socket = loop.open(key, group, c -> c.setOption(StandardSocketOptions.SO_REUSEADDR, true));
            try {
                socket.channel().join(channel.group(), boot);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            groups.put(key, group);
        }
        Group joined = group;
        joined.add(listener);
        return () -> joined.remove(listener);
    }

    /** Blocks each group carried, and how many of them it had carried before. */
    Map<InetSocketAddress, long[]> groupCounts() {
        Map<InetSocketAddress, long[]> counts = new HashMap<>();
        groups.forEach((key, group) -> counts.put(key, new long[] {group.blocks, group.repeats}));
        return counts;
    }

    private static final boolean[] MASTERS_FIRST = {true, false};

    private final class Group implements DatagramHandler {

        /** Copied on change (a listener that completes leaves while a block is handed out). */
        private GroupListener[] listeners = new GroupListener[0];
        private final BlockSet carried = new BlockSet();
        private long blocks;
        private long repeats;

        @Override
        public void onDatagram(ByteBuffer packet, InetSocketAddress from) {
            if (packet.remaining() < 4 || TftpWire.opcode(packet) != TftpWire.DATA || TftpWire.block(packet) == 0) {
                tally.groupStray++;
                return;
            }
            int block = TftpWire.block(packet);
            ByteBuffer payload = TftpWire.payload(packet);
            int length = payload.remaining();
            blocks++;
            tally.groupBlocks++;
            if (!carried.add(block, length < MtftpFetch.BLOCK_SIZE)) {
                repeats++;
                tally.groupRepeats++;
            }
            // Masters first: a rack's nodes take a block each on their own cpu, so the server
            // waits for the master's ACK only, not for every listener this one thread plays.
            ExpectedFile checked = null;
            boolean intact = false;
            for (boolean masters : MASTERS_FIRST) {
                for (GroupListener listener : listeners) {
                    if (listener.acknowledges() != masters || !listener.server().equals(from.getAddress())) {
                        continue;
                    }
                    if (listener.file() != checked) {
                        checked = listener.file();
                        intact = checked.intact(block, MtftpFetch.BLOCK_SIZE, payload);
                        if (checked.pastTheEnd(block, MtftpFetch.BLOCK_SIZE)) {
                            tally.blocksPastTheEnd++;
                        }
                    }
                    listener.onGroupData(block, length, intact);
                }
            }
        }

        void add(GroupListener listener) {
            GroupListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
            next[listeners.length] = listener;
            listeners = next;
        }

        void remove(GroupListener listener) {
            List<GroupListener> next = new ArrayList<>(Arrays.asList(listeners));
            next.remove(listener);
            listeners = next.toArray(GroupListener[]::new);
        }
    }
}

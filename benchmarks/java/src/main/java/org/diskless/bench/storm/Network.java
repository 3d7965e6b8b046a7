package org.diskless.bench.storm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The sockets of the simulated nodes: one per transfer, bound to the node's leased address (as a
 * ROM's UDP stack uses its own address and a fresh port per connection), and the multicast groups
 * MTFTP listeners share.
 */
interface Network {

    /** A socket bound to {@code local} and a free port; what it receives goes to {@code handler}. */
    Link open(Inet4Address local, DatagramHandler handler) throws IOException;

    /** Starts delivering the DATA blocks sent to the channel's group and client port to {@code listener}. */
    Membership join(MtftpChannel channel, GroupListener listener) throws IOException;

    interface DatagramHandler {

        /** A datagram, position to limit, valid only during the call. */
        void onDatagram(ByteBuffer datagram, InetSocketAddress from);
    }

    interface Link {

        /** Sends; a datagram the kernel has no room for is lost, as on a wire. */
        void send(ByteBuffer datagram, InetSocketAddress to);

        void close();
    }

    interface Membership {

        void leave();
    }

    /** A node listening to a group: blocks from {@link #server()} only, checked against {@link #file()}. */
    interface GroupListener {

        Inet4Address server();

        ExpectedFile file();

        /** Block {@code block} of {@code length} bytes arrived; {@code intact}: its bytes are the file's. */
        void onGroupData(int block, int length, boolean intact);

        /** Whether this listener is the transfer's master, which the server waits for. */
        boolean acknowledges();
    }
}

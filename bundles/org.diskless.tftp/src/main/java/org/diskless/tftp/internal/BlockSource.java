package org.diskless.tftp.internal;

import java.io.IOException;

import io.netty.buffer.ByteBuf;

/**
 * The blocks of a file as a client receives them, readable again for a retransmission instead of
 * kept in memory. Blocks are numbered from 1 without rollover; the transfer maps them to the wire.
 */
interface BlockSource {

    /**
     * Writes block {@code block} (at most one block size of bytes) into {@code out}. A block shorter
     * than the block size is the last one.
     *
     * @return the number of bytes written
     */
    int read(long block, ByteBuf out) throws IOException;

    /** Size of what the client receives, or -1 when it is known only at the end. */
    long transferSize();

    /** Frees what the source holds beyond the file (a read buffer); called once, when the transfer ends. */
    default void release() {
    }
}

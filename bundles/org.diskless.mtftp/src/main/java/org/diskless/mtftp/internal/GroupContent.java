package org.diskless.mtftp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.diskless.api.files.BootFileContent;
import org.diskless.tftp.codec.TftpEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A file opened to be sent to a group, read block by block as clients acknowledge them. Blocks
 * are read a chunk at a time (a positional read costs a system call, more than copying a block),
 * so the lock-step of a round reads the file once per chunk. Confined to the event loop; reads
 * come from the page cache, as the TFTP server's do.
 */
final class GroupContent {

    private static final Logger LOG = LoggerFactory.getLogger(GroupContent.class);

    /** TFTP block numbers are 16 bits, and multicast clients do not roll them over. */
    static final int MAX_BLOCKS = 65_535;
    static final int CHUNK_BYTES = 16 * 1024;

    private final String path;
    private final long size;
    private final BootFileContent content;
    private final int blockSize;
    private final int chunkBlocks;
    private ByteBuf chunk;
    private int chunkFirstBlock;
    private int chunkBytes;
    private boolean closed;

    GroupContent(String path, long size, BootFileContent content, int blockSize) {
        this.path = path;
        this.size = size;
        this.content = content;
        this.blockSize = blockSize;
        this.chunkBlocks = Math.max(1, CHUNK_BYTES / blockSize);
    }

    /** The largest file {@code blockSize}-byte blocks can carry: its last block must be short, and be block 65,535 at most. */
    static long maxSize(int blockSize) {
        return (long) MAX_BLOCKS * blockSize - 1;
    }

    /** How many blocks a file of {@code size} bytes takes: the last one is short, empty when the size is a multiple. */
    static long blocks(long size, int blockSize) {
        return size / blockSize + 1;
    }

    /** The name inside the boot root. */
    String path() {
        return path;
    }

    long size() {
        return size;
    }

    int blockSize() {
        return blockSize;
    }

    /** The number of the last block (it is shorter than {@link #blockSize}). */
    int lastBlock() {
        return (int) blocks(size, blockSize);
    }

    /** Bytes of blocks 1 to {@code block}. */
    long bytesUpTo(int block) {
        return Math.min(size, (long) block * blockSize);
    }

    /** DATA packet {@code block}, header included, in a buffer of {@code alloc}'s. */
    ByteBuf packet(int block, ByteBufAllocator alloc) throws IOException {
        if (closed) {
            throw new IOException(path + " was closed");
        }
        long position = (long) (block - 1) * blockSize;
        int wanted = (int) Math.max(0, Math.min(blockSize, size - position));
        ByteBuf packet = alloc.directBuffer(TftpEncoder.DATA_HEADER_SIZE + wanted);
        TftpEncoder.writeDataHeader(packet, block);
        if (wanted == 0) {
            return packet;
        }
        try {
            int offset = (block - chunkFirstBlock) * blockSize;
            if (chunk == null || block < chunkFirstBlock || offset + wanted > chunkBytes) {
                fill(block, alloc);
                offset = 0;
            }
            packet.writeBytes(chunk, offset, wanted);
            return packet;
        } catch (IOException | RuntimeException e) {
            packet.release();
            throw e;
        }
    }

    private void fill(int block, ByteBufAllocator alloc) throws IOException {
        long position = (long) (block - 1) * blockSize;
        int bytes = (int) Math.min((long) chunkBlocks * blockSize, size - position);
        if (chunk == null) {
            chunk = alloc.directBuffer((int) Math.min((long) chunkBlocks * blockSize, Math.max(1, size)));
        }
        chunkBytes = 0;
        ByteBuffer into = chunk.nioBuffer(0, bytes);
        long at = position;
        while (into.hasRemaining()) {
            int n = content.read(into, at);
            if (n <= 0) {
                throw new IOException(path + " shrank while being sent (" + at + " of " + size + " bytes)");
            }
            at += n;
        }
        chunkFirstBlock = block;
        chunkBytes = bytes;
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
        try {
            content.close();
        } catch (IOException e) {
            LOG.debug("Closing {} failed", path, e);
        }
    }
}

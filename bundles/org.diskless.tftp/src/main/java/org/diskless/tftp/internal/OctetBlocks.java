package org.diskless.tftp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.diskless.api.files.BootFileContent;

import io.netty.buffer.ByteBuf;

/**
 * Octet mode: block n is bytes {@code (n-1)*blockSize} onwards of the file, as they are.
 *
 * <p>Small blocks are read from the file a chunk of several at a time: a positional read costs a
 * system call, more than copying the block, so one read then serves a whole window (or several
 * lock-step blocks). A block as large as the chunk is read straight into the packet.
 */
final class OctetBlocks implements BlockSource {

    /** Bytes read from the file at once: a window of 1468-byte blocks, in a small slice of a transfer's memory. */
    static final int CHUNK_BYTES = 16 * 1024;

    private final BootFileContent content;
    private final int blockSize;
    /** Blocks per chunk; 1 reads each block on its own, straight into the packet. */
    private final int chunkBlocks;
    /** The chunk (direct, from the packets' allocator), made at the first read; null after release. */
    private ByteBuf chunk;
    /** The block at the chunk's start, and how many of its bytes are valid. */
    private long chunkFirstBlock;
    private int chunkBytes;
    private boolean released;

    OctetBlocks(BootFileContent content, int blockSize) {
        this.content = content;
        this.blockSize = blockSize;
        this.chunkBlocks = Math.max(1, CHUNK_BYTES / blockSize);
    }

    @Override
    public int read(long block, ByteBuf out) throws IOException {
        if (released) {
            throw new IllegalStateException("read after release");
        }
        long position = (block - 1) * blockSize;
        int wanted = (int) Math.max(0, Math.min(blockSize, content.size() - position));
        if (wanted == 0) {
            return 0;
        }
        if (chunkBlocks == 1) {
            out.ensureWritable(wanted);
            int index = out.writerIndex();
            readFully(out.nioBuffer(index, wanted), position);
            out.writerIndex(index + wanted);
            return wanted;
        }
        long offset = (block - chunkFirstBlock) * blockSize;
        if (chunk == null || offset < 0 || offset + wanted > chunkBytes) {
            fillChunk(block, out);
            offset = 0;
        }
        out.writeBytes(chunk, (int) offset, wanted);
        return wanted;
    }

    /** Loads the chunk that starts with {@code block}, as much of it as the file holds. */
    private void fillChunk(long block, ByteBuf like) throws IOException {
        long position = (block - 1) * blockSize;
        int bytes = (int) Math.min((long) chunkBlocks * blockSize, content.size() - position);
        if (chunk == null) {
            // Never larger than the file: a 1 KiB boot menu gets a 1 KiB chunk.
            chunk = like.alloc().directBuffer((int) Math.min((long) chunkBlocks * blockSize, content.size()));
        }
        chunkBytes = 0;
        readFully(chunk.nioBuffer(0, bytes), position);
        chunkFirstBlock = block;
        chunkBytes = bytes;
    }

    private void readFully(ByteBuffer into, long position) throws IOException {
        long start = position;
        while (into.hasRemaining()) {
            int n = content.read(into, position);
            if (n <= 0) {
                throw new IOException("file shrank while being sent (" + position + " of " + content.size()
                        + " bytes, reading from " + start + ")");
            }
            position += n;
        }
    }

    @Override
    public long transferSize() {
        return content.size();
    }

    @Override
    public void release() {
        released = true;
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
    }
}

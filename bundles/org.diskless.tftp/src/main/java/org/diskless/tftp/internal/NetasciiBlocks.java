package org.diskless.tftp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.diskless.api.files.BootFileContent;

import io.netty.buffer.ByteBuf;

/**
 * Netascii mode (RFC 764 line endings): LF goes out as CR LF and a bare CR as CR NUL. The output is
 * longer than the file, so where a block starts in the file is remembered for the blocks that may
 * still be sent again (one window and one more), not computed.
 */
final class NetasciiBlocks implements BlockSource {

    private static final int NONE = -1;
    private static final int READ_AHEAD = 4096;

    private final BootFileContent content;
    private final int blockSize;
    /** Per block slot (block % length): where it starts in the file, and a byte owed from the last block. */
    private final long[] startPosition;
    private final int[] startPending;
    private long highestStarted = 1;
    private final ByteBuffer readAhead = ByteBuffer.allocate(READ_AHEAD);
    private long readAheadPosition = -1;
    private final long transferSize;

    /** @param transferSize the size after conversion, from {@link #convertedSize}, or -1 when not computed */
    NetasciiBlocks(BootFileContent content, int blockSize, int windowSize, long transferSize) {
        this.content = content;
        this.blockSize = blockSize;
        // The blocks that may be read again: one window back from the newest, plus the block read ahead.
        this.startPosition = new long[windowSize + 3];
        this.startPending = new int[windowSize + 3];
        startPending[1 % startPending.length] = NONE;
        this.transferSize = transferSize;
    }

    @Override
    public int read(long block, ByteBuf out) throws IOException {
        if (block > highestStarted || block <= highestStarted - startPosition.length) {
            throw new IllegalStateException("block " + block + " is outside the remembered window ending at "
                    + highestStarted);
        }
        int slot = (int) (block % startPosition.length);
        long position = startPosition[slot];
        int pending = startPending[slot];
        int written = 0;
        while (written < blockSize) {
            if (pending != NONE) {
                out.writeByte(pending);
                pending = NONE;
                written++;
                continue;
            }
            int b = byteAt(position);
            if (b < 0) {
                break;
            }
            position++;
            if (b == '\n' || b == '\r') {
                out.writeByte('\r');
                pending = b == '\n' ? '\n' : 0;
            } else {
                out.writeByte(b);
            }
            written++;
        }
        if (block == highestStarted) {
            highestStarted++;
            int next = (int) (highestStarted % startPosition.length);
            startPosition[next] = position;
            startPending[next] = pending;
        }
        return written;
    }

    @Override
    public long transferSize() {
        return transferSize;
    }

    private int byteAt(long position) throws IOException {
        if (readAheadPosition < 0 || position < readAheadPosition
                || position >= readAheadPosition + readAhead.limit()) {
            readAhead.clear();
            int n = content.read(readAhead, position);
            readAhead.flip();
            readAheadPosition = position;
            if (n <= 0) {
                return -1;
            }
        }
        return readAhead.get((int) (position - readAheadPosition)) & 0xFF;
    }

    /**
     * The size after conversion, for tsize: the file plus one byte per CR and LF; -1 for a file
     * longer than {@code maxFileBytes}, which is not read past that.
     */
    static long convertedSize(BootFileContent content, long maxFileBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(READ_AHEAD);
        long size = 0;
        long position = 0;
        int n;
        while ((n = content.read(buffer.clear(), position)) > 0) {
            if (position + n > maxFileBytes) {
                return -1;
            }
            position += n;
            size += n;
            for (int i = 0; i < n; i++) {
                byte b = buffer.get(i);
                if (b == '\n' || b == '\r') {
                    size++;
                }
            }
        }
        return size;
    }
}

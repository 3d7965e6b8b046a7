package org.diskless.bench.storm;

import java.nio.ByteBuffer;

/**
 * A file the simulated nodes fetch, as the servers serve it from the boot root: every block a
 * node receives is compared with it, so a node has a file only when every byte is right.
 */
final class ExpectedFile {

    private final String name;
    private final byte[] bytes;
    private final ByteBuffer view;

    ExpectedFile(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
        this.view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    String name() {
        return name;
    }

    int size() {
        return bytes.length;
    }

    /** Blocks a TFTP transfer at this block size takes, the final short (maybe empty) one included. */
    int blocks(int blockSize) {
        return bytes.length / blockSize + 1;
    }

    /** The content itself, not a copy: read it, never write it. */
    byte[] bytes() {
        return bytes;
    }

    /**
     * Whether {@code payload} (position to limit) is exactly block {@code block} of the file. An
     * empty block past the end says nothing wrong about the file (a file ends at its first short
     * block), so it counts as intact: see {@link #pastTheEnd}.
     */
    boolean intact(int block, int blockSize, ByteBuffer payload) {
        long offset = (long) (block - 1) * blockSize;
        if (block < 1) {
            return false;
        }
        if (offset >= bytes.length) {
            return payload.remaining() == 0;
        }
        int length = (int) Math.min(blockSize, bytes.length - offset);
        if (payload.remaining() != length) {
            return false;
        }
        return payload.mismatch(view.duplicate().position((int) offset).limit((int) offset + length)) == -1;
    }

    /** Whether a block of this number lies beyond the file's last block at this block size. */
    boolean pastTheEnd(int block, int blockSize) {
        return block > blocks(blockSize);
    }
}

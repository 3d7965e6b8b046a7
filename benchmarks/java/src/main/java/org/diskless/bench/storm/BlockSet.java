package org.diskless.bench.storm;

import java.util.BitSet;

/**
 * The blocks of one file a client holds, numbered from 1 as TFTP numbers them, received in any
 * order (an MTFTP client keeps what it hears while others are served). It knows the file is
 * whole once it holds the last block, the first one shorter than the block size, and every block
 * before it.
 */
final class BlockSet {

    private final BitSet held = new BitSet();
    private int count;
    private int contiguous;
    private int lastBlock;

    /** Records a block; returns false when it was already held (a duplicate). */
    boolean add(int block, boolean shorterThanBlockSize) {
        if (block < 1) {
            throw new IllegalArgumentException("TFTP data blocks are numbered from 1: " + block);
        }
        if (shorterThanBlockSize && (lastBlock == 0 || block < lastBlock)) {
            lastBlock = block;
        }
        if (held.get(block)) {
            return false;
        }
        held.set(block);
        count++;
        if (block == contiguous + 1) {
            contiguous = held.nextClearBit(block) - 1;
        }
        return true;
    }

    boolean holds(int block) {
        return held.get(block);
    }

    /** The highest block such that every block up to it is held: what a client acknowledges. */
    int contiguous() {
        return contiguous;
    }

    int count() {
        return count;
    }

    /** The number of the file's last block, or 0 while no short block has been seen. */
    int lastBlock() {
        return lastBlock;
    }

    boolean complete() {
        return lastBlock > 0 && contiguous >= lastBlock;
    }
}

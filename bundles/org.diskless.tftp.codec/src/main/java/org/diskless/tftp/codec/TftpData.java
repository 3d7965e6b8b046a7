package org.diskless.tftp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * DATA: one block of a file. Holds its payload as a reference-counted buffer, released by the
 * encoder once written, so a block is read from the file, sent and forgotten.
 */
public final class TftpData extends DefaultByteBufHolder implements TftpPacket {

    private final int block;

    /** @param block the 16-bit wire block number (it rolls over past 65535) */
    public TftpData(int block, ByteBuf content) {
        super(content);
        this.block = checkBlock(block);
    }

    public int block() {
        return block;
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.DATA;
    }

    @Override
    public TftpData replace(ByteBuf content) {
        return new TftpData(block, content);
    }

    @Override
    public TftpData retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return "TftpData[block=" + block + ", bytes=" + content().readableBytes() + "]";
    }

    static int checkBlock(int block) {
        if (block < 0 || block > 0xFFFF) {
            throw new IllegalArgumentException("block number is 16 bits, not " + block);
        }
        return block;
    }
}

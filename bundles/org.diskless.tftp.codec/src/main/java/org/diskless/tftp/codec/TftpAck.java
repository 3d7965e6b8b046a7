package org.diskless.tftp.codec;

/** ACK of a DATA block (0 acknowledges an OACK). The block number is the 16-bit wire value. */
public record TftpAck(int block) implements TftpPacket {

    public TftpAck {
        TftpData.checkBlock(block);
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.ACK;
    }
}

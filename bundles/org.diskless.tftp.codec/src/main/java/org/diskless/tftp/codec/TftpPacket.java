package org.diskless.tftp.codec;

/** One TFTP datagram, decoded. */
public sealed interface TftpPacket permits TftpRequest, TftpData, TftpAck, TftpError, TftpOptionAck {

    TftpOpcode opcode();
}

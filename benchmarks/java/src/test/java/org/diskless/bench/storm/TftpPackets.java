package org.diskless.bench.storm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Server packets for the tests, written out by hand. */
final class TftpPackets {

    private TftpPackets() {
    }

    /** Block {@code block} of {@code file} at {@code blockSize}, as a server sends it. */
    static ByteBuffer data(ExpectedFile file, int block, int blockSize) {
        int offset = (block - 1) * blockSize;
        int length = Math.max(0, Math.min(blockSize, file.size() - offset));
        return ByteBuffer.allocate(4 + length).putShort((short) TftpWire.DATA).putShort((short) block)
                .put(file.bytes(), offset, length).flip();
    }

    static ByteBuffer oack(String... options) {
        ByteBuffer b = ByteBuffer.allocate(512).putShort((short) TftpWire.OACK);
        for (String option : options) {
            b.put(option.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        }
        return b.flip();
    }

    static ByteBuffer error(int code, String message) {
        return ByteBuffer.allocate(5 + message.length()).putShort((short) TftpWire.ERROR).putShort((short) code)
                .put(message.getBytes(StandardCharsets.US_ASCII)).put((byte) 0).flip();
    }

    /** A file of {@code size} bytes whose bytes differ from block to block. */
    static ExpectedFile file(String name, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + i / 512);
        }
        return new ExpectedFile(name, bytes);
    }
}

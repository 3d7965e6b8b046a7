package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import org.diskless.api.files.BootFileContent;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class OctetBlocksTest {

    @Test
    void smallBlocksAreTheFileInOrderEndingWithAShortOne() throws Exception {
        byte[] file = random(3 * OctetBlocks.CHUNK_BYTES + 100);
        assertArrayEquals(file, readAll(new OctetBlocks(new MemoryContent(file), 512), file.length, 512));
    }

    @Test
    void blocksLargerThanAChunkAreReadOnTheirOwn() throws Exception {
        byte[] file = random(2 * 65464 + 7);
        assertArrayEquals(file, readAll(new OctetBlocks(new MemoryContent(file), 65464), file.length, 65464));
    }

    @Test
    void aFileOfWholeBlocksEndsWithAnEmptyBlock() throws Exception {
        OctetBlocks blocks = new OctetBlocks(new MemoryContent(random(1024)), 512);
        assertEquals(512, block(blocks, 2).length);
        assertEquals(0, block(blocks, 3).length);
        blocks.release();
    }

    @Test
    void oneFileReadServesAWindowOfSmallBlocks() throws Exception {
        CountingContent content = new CountingContent(random(64 * 1024));
        OctetBlocks blocks = new OctetBlocks(content, 1468);
        for (long block = 1; block <= 8; block++) {
            block(blocks, block);
        }
        assertEquals(1, content.reads, "eight 1468-byte blocks fit in one chunk");
        blocks.release();
    }

    @Test
    void aBlockSentAgainAfterTheChunkMovedOnIsReadAgainTheSame() throws Exception {
        byte[] file = random(4 * OctetBlocks.CHUNK_BYTES);
        OctetBlocks blocks = new OctetBlocks(new MemoryContent(file), 1468);
        byte[] first = block(blocks, 3);
        block(blocks, 40); // far past the first chunk
        assertArrayEquals(first, block(blocks, 3));
        assertArrayEquals(Arrays.copyOfRange(file, 2 * 1468, 3 * 1468), first);
        blocks.release();
    }

    @Test
    void aFileThatShrankWhileBeingSentIsAnError() {
        byte[] file = random(10_000);
        BootFileContent shrunk = new MemoryContent(file) {
            @Override
            public long size() {
                return 20_000; // what tsize promised
            }
        };
        OctetBlocks blocks = new OctetBlocks(shrunk, 512);
        assertThrows(IOException.class, () -> block(blocks, 1));
        blocks.release();
    }

    @Test
    void aReleasedSourceIsNotReadAgain() throws Exception {
        OctetBlocks blocks = new OctetBlocks(new MemoryContent(random(4096)), 512);
        block(blocks, 1);
        blocks.release();
        assertThrows(IllegalStateException.class, () -> block(blocks, 2));
    }

    private static byte[] readAll(OctetBlocks blocks, int size, int blockSize) throws IOException {
        byte[] all = new byte[size];
        int at = 0;
        for (long block = 1; ; block++) {
            byte[] bytes = block(blocks, block);
            System.arraycopy(bytes, 0, all, at, bytes.length);
            at += bytes.length;
            if (bytes.length < blockSize) {
                break;
            }
        }
        blocks.release();
        assertEquals(size, at);
        return all;
    }

    private static byte[] block(OctetBlocks blocks, long block) throws IOException {
        ByteBuf out = Unpooled.directBuffer(64);
        try {
            int n = blocks.read(block, out);
            assertEquals(n, out.readableBytes());
            byte[] bytes = new byte[n];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Counts the positional reads made, each a system call on a real file. */
    private static final class CountingContent extends MemoryContent {
        int reads;

        CountingContent(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            reads++;
            return super.read(dst, position);
        }
    }
}

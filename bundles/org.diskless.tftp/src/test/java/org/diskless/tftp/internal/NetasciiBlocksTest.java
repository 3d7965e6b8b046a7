package org.diskless.tftp.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class NetasciiBlocksTest {

    @Test
    void lineFeedsBecomeCrLfAndBareCarriageReturnsCrNul() throws Exception {
        assertEquals("a\r\nb\r\0c\r\n", sendAll("a\nb\rc\n", 512, 1));
    }

    @Test
    void theSizeAnnouncedInTsizeIsTheConvertedSize() throws Exception {
        MemoryContent content = new MemoryContent("a\nb\rc\n".getBytes(ISO_8859_1));
        assertEquals(9, NetasciiBlocks.convertedSize(content, 6));
    }

    @Test
    void aFileLongerThanTheLimitIsNotReadPastItAndHasNoSize() throws Exception {
        MemoryContent content = new MemoryContent(new byte[100_000]);
        assertEquals(-1, NetasciiBlocks.convertedSize(content, 10_000));
        assertTrue(content.bytesRead <= 10_000 + 4096, "read up to the limit, one 4 KiB buffer past it at most: "
                + content.bytesRead);
    }

    @Test
    void aLineEndingSplitAcrossBlocksIsCompletedInTheNextBlock() throws Exception {
        // "abc\n" converts to "abc\r\n": with 4-byte blocks the LF opens block 2.
        NetasciiBlocks blocks = blocksOf("abc\nd", 4, 1);
        assertEquals("abc\r", block(blocks, 1));
        assertEquals("\nd", block(blocks, 2));
    }

    @Test
    void aBlockOfTheCurrentWindowReadsTheSameWhenSentAgain() throws Exception {
        String text = "line one\nline two\rline three\n".repeat(20);
        NetasciiBlocks blocks = blocksOf(text, 16, 4);
        String first = block(blocks, 1) + block(blocks, 2) + block(blocks, 3) + block(blocks, 4);
        // The client lost block 2: blocks 2-4 are sent again and must be byte for byte the same.
        String again = block(blocks, 1) + block(blocks, 2) + block(blocks, 3) + block(blocks, 4);
        assertEquals(first, again);
    }

    @Test
    void aTextEndingExactlyOnABlockBoundaryEndsWithAnEmptyBlock() throws Exception {
        NetasciiBlocks blocks = blocksOf("abc\n", 5, 1); // 5 bytes once converted
        assertEquals("abc\r\n", block(blocks, 1));
        assertEquals("", block(blocks, 2));
    }

    private static String sendAll(String text, int blockSize, int window) throws Exception {
        NetasciiBlocks blocks = blocksOf(text, blockSize, window);
        StringBuilder out = new StringBuilder();
        for (long n = 1; ; n++) {
            String block = block(blocks, n);
            out.append(block);
            if (block.length() < blockSize) {
                return out.toString();
            }
        }
    }

    private static NetasciiBlocks blocksOf(String text, int blockSize, int window) throws Exception {
        MemoryContent content = new MemoryContent(text.getBytes(ISO_8859_1));
        return new NetasciiBlocks(content, blockSize, window, NetasciiBlocks.convertedSize(content, Long.MAX_VALUE));
    }

    private static String block(NetasciiBlocks blocks, long n) throws Exception {
        ByteBuf out = Unpooled.buffer();
        try {
            blocks.read(n, out);
            return out.toString(ISO_8859_1);
        } finally {
            out.release();
        }
    }
}

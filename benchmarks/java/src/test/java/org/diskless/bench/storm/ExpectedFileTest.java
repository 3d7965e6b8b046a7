package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class ExpectedFileTest {

    private final ExpectedFile file = TftpPackets.file("vmlinuz", 2 * 512);

    @Test
    void aBlockMatchesOnlyItsOwnBytes() {
        assertTrue(file.intact(2, 512, block(2)));
        assertFalse(file.intact(1, 512, block(2)));
        assertFalse(file.intact(2, 512, block(2).limit(511)));
    }

    @Test
    void aFileOfWholeBlocksEndsWithAnEmptyBlock() {
        assertTrue(file.intact(3, 512, ByteBuffer.allocate(0)));
        assertFalse(file.pastTheEnd(3, 512));
    }

    @Test
    void anEmptyBlockPastTheEndIsHarmlessButNoted() {
        assertTrue(file.intact(4, 512, ByteBuffer.allocate(0)));
        assertTrue(file.pastTheEnd(4, 512));
        assertFalse(file.intact(4, 512, ByteBuffer.allocate(1)));
    }

    private ByteBuffer block(int number) {
        return TftpWire.payload(TftpPackets.data(file, number, 512));
    }
}

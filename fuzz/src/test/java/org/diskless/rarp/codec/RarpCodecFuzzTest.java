package org.diskless.rarp.codec;

import static org.diskless.fuzz.Refusals.readOrRefuse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any frame the raw socket for EtherType 0x8035 hands the RARP server: the codec gives a frame or a
 * {@link RarpFormatException}, reads only between the buffer's position and limit without moving
 * them, and a frame it read encodes to the same 42 bytes, padded to 60.
 */
class RarpCodecFuzzTest {

    /** Bytes around the frame in the receive buffer, which the codec must neither read as frame nor move past. */
    private static final int MARGIN = 3;

    @FuzzTest
    void decode(byte[] received) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(MARGIN + received.length + MARGIN);
        buffer.position(MARGIN).put(received).flip().position(MARGIN);
        Optional<RarpFrame> frame = readOrRefuse(() -> RarpCodec.decode(buffer), RarpFormatException.class);
        assertEquals(MARGIN, buffer.position(), "decode moved the buffer");
        assertEquals(MARGIN + received.length, buffer.limit(), "decode moved the limit");
        if (frame.isPresent()) {
            frame.get().toString();
            byte[] encoded = RarpCodec.encode(frame.get());
            assertEquals(RarpCodec.MIN_FRAME, encoded.length);
            assertArrayEquals(Arrays.copyOf(received, RarpCodec.LENGTH), Arrays.copyOf(encoded, RarpCodec.LENGTH),
                    "the 42 bytes read do not encode back to themselves");
            assertEquals(frame.get(), RarpCodec.decode(ByteBuffer.wrap(encoded)));
        }
    }
}

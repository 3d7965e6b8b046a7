package org.diskless.rmp.codec;

import static org.diskless.fuzz.Refusals.readOrRefuse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any 802.3 frame the raw socket hands the RMP server (from its destination MAC on): the codec
 * gives a frame or an {@link RmpFormatException}, reads only between the buffer's position and
 * limit without moving them, and what it read encodes to a frame that decodes to the same.
 */
class RmpCodecFuzzTest {

    /** Bytes before and after the frame in the receive buffer, which the codec must not touch. */
    private static final int MARGIN = 5;

    @FuzzTest
    void decode(byte[] received) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(MARGIN + received.length + MARGIN);
        buffer.put(new byte[] {1, 2, 3, 4, 5}).put(received).put(new byte[] {6, 7, 8, 9, 10});
        buffer.position(MARGIN).limit(MARGIN + received.length);
        Optional<RmpFrame> frame = readOrRefuse(() -> RmpCodec.decode(buffer), RmpFormatException.class);
        assertEquals(MARGIN, buffer.position(), "decode moved the buffer");
        assertEquals(MARGIN + received.length, buffer.limit(), "decode moved the limit");
        if (frame.isPresent()) {
            frame.get().toString();
            byte[] encoded = RmpCodec.encode(frame.get());
            assertEquals(RmpCodec.encodedLength(frame.get()), encoded.length);
            assertEquals(frame.get(), RmpCodec.decode(ByteBuffer.wrap(encoded)), "a frame does not survive encode and decode");
        }
    }
}

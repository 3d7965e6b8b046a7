package org.diskless.wake.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.Test;

class MagicPacketTest {

    private static final HardwareAddress MAC = HardwareAddress.parse("52:54:00:12:34:56");
    private static final HardwareAddress SERVER = HardwareAddress.parse("02:00:00:00:00:01");

    /** Six 0xFF, then the MAC sixteen times, as written out by hand. */
    private static final String GOLDEN = "ffffffffffff"
            + "525400123456" + "525400123456" + "525400123456" + "525400123456"
            + "525400123456" + "525400123456" + "525400123456" + "525400123456"
            + "525400123456" + "525400123456" + "525400123456" + "525400123456"
            + "525400123456" + "525400123456" + "525400123456" + "525400123456";

    @Test
    void aMagicPacketIsTheSyncStreamAndSixteenCopiesOfTheMac() {
        byte[] payload = MagicPacket.payload(MAC, Optional.empty());

        assertEquals(102, payload.length);
        assertEquals(GOLDEN, HexFormat.of().formatHex(payload));
    }

    @Test
    void aSixByteSecureOnPasswordFollowsTheMacs() {
        byte[] payload = MagicPacket.payload(MAC, Optional.of(SecureOnPassword.parse("a1:b2:c3:d4:e5:f6")));

        assertEquals(GOLDEN + "a1b2c3d4e5f6", HexFormat.of().formatHex(payload));
    }

    @Test
    void aFourByteSecureOnPasswordWrittenDottedFollowsTheMacs() {
        byte[] payload = MagicPacket.payload(MAC, Optional.of(SecureOnPassword.parse("192.168.1.254")));

        assertEquals(GOLDEN + "c0a801fe", HexFormat.of().formatHex(payload));
    }

    @Test
    void theEthernetFrameGoesToEveryStationWithTypeWakeOnLan() {
        byte[] payload = MagicPacket.payload(MAC, Optional.empty());
        ByteBuffer frame = MagicPacket.ethernetFrame(SERVER, payload);

        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        assertEquals("ffffffffffff" + "020000000001" + "0842" + GOLDEN, HexFormat.of().formatHex(bytes));
        assertEquals(116, bytes.length, "above the 60-byte minimum: no padding");
    }

    @Test
    void onlySixByteMacsCanBeWoken() {
        HardwareAddress infiniband = HardwareAddress.of(32, new byte[20 - 4]);
        assertThrows(IllegalArgumentException.class, () -> MagicPacket.payload(infiniband, Optional.empty()));
    }

    @Test
    void thePayloadCopiesThePasswordNotSharesIt() {
        SecureOnPassword password = SecureOnPassword.parse("01:02:03:04");
        byte[] first = MagicPacket.payload(MAC, Optional.of(password));
        first[first.length - 1] = 0;
        assertArrayEquals(new byte[] {1, 2, 3, 4}, password.toByteArray());
    }
}

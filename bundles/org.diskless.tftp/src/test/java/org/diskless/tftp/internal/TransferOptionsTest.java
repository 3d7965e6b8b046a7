package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.diskless.tftp.internal.TransferOptions.OptionRefusedException;
import org.diskless.support.config.Config;
import org.junit.jupiter.api.Test;

class TransferOptionsTest {

    private final TftpSettings settings = TftpSettings.defaults();

    @Test
    void withoutOptionsTheRfc1350DefaultsApplyAndNoOackIsSent() throws Exception {
        TransferOptions options = read(Map.of(), 1000);
        assertEquals(512, options.blockSize());
        assertEquals(1, options.windowSize());
        assertEquals(Duration.ofSeconds(1), options.timeout());
        assertFalse(options.needsOptionAck());
    }

    @Test
    void anAcceptedOptionIsEchoedInTheClientsOrder() throws Exception {
        Map<String, String> asked = new LinkedHashMap<>();
        asked.put("tsize", "0");
        asked.put("blksize", "1468");
        asked.put("windowsize", "4");
        asked.put("timeout", "3");
        TransferOptions options = read(asked, 123456);
        assertEquals(1468, options.blockSize());
        assertEquals(4, options.windowSize());
        assertEquals(Duration.ofSeconds(3), options.timeout());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("tsize", "123456");
        expected.put("blksize", "1468");
        expected.put("windowsize", "4");
        expected.put("timeout", "3");
        assertEquals(java.util.List.copyOf(expected.entrySet()), java.util.List.copyOf(options.acknowledged().entrySet()));
    }

    @Test
    void blockAndWindowSizesAboveTheServersLimitsAreLoweredNotRefused() throws Exception {
        TftpSettings tight = TftpSettings.parse(Config.of(Map.of("maxBlockSize", "1024", "maxWindowSize", "8")));
        TransferOptions options = TransferOptions.negotiate(Map.of("blksize", "65464", "windowsize", "64"),
                tight, false, 10);
        assertEquals(1024, options.blockSize());
        assertEquals(8, options.windowSize());
        assertEquals(Map.of("blksize", "1024", "windowsize", "8"), options.acknowledged());
    }

    @Test
    void theWindowIsKeptWithinTheClientsReceiveBufferWhateverTheOptionOrder() throws Exception {
        Map<String, String> asked = new LinkedHashMap<>();
        asked.put("windowsize", "16");
        asked.put("blksize", "65464");
        assertEquals(2, read(asked, 10).windowSize(), "212992 bytes hold two 65464-byte blocks (45 fragments each)");
        assertEquals("2", read(asked, 10).acknowledged().get("windowsize"));
        assertEquals(15, read(Map.of("blksize", "8192", "windowsize", "16"), 10).windowSize(),
                "15 blocks of 6 fragments, the 16th was dropped by a client that read none");
        assertEquals(16, read(Map.of("blksize", "1468", "windowsize", "16"), 10).windowSize(), "one fragment each");
        TftpSettings small = TftpSettings.parse(Config.of(Map.of("clientReceiveBuffer", "1000")));
        assertEquals(1, TransferOptions.negotiate(Map.of("blksize", "1468", "windowsize", "8"), small, false, 10)
                .windowSize(), "never below one block");
    }

    @Test
    void blocksThatFitMatchWhatALinuxSocketBufferHeld() {
        // Datagrams sent over veth to a UDP socket that read none, default 212992-byte buffer:
        // block size -> how many were queued before the first drop.
        assertEquals(2, TransferOptions.blocksThatFit(212_992, 65464));
        assertEquals(8, TransferOptions.blocksThatFit(212_992, 16384));
        assertEquals(15, TransferOptions.blocksThatFit(212_992, 8192));
        assertEquals(30, TransferOptions.blocksThatFit(212_992, 4096));
        assertTrue(TransferOptions.blocksThatFit(212_992, 1468) <= 92, "92 held; the estimate may be lower");
        assertEquals(1, TransferOptions.blocksThatFit(1, 65464), "at least one block");
        assertEquals(Integer.MAX_VALUE / 2 / TransferOptions.FRAGMENT_CHARGE + 1,
                TransferOptions.blocksThatFit(Integer.MAX_VALUE / 2, 512), "no overflow");
    }

    @Test
    void valuesNoClientCouldMeanAreRefused() {
        assertRefused("blksize", "7");
        assertRefused("blksize", "0");
        assertRefused("blksize", "-512");
        assertRefused("blksize", "-99999999999999999999999");
        assertRefused("windowsize", "0");
        assertRefused("timeout", "0");
        assertRefused("timeout", "256");
        assertRefused("tsize", "-1");
    }

    @Test
    void aValueThatIsNoNumberIsLeftOutOfTheOackAndItsDefaultApplies() throws Exception {
        Map<String, String> asked = new LinkedHashMap<>();
        asked.put("tsize", "enable");
        asked.put("blksize", "foo");
        asked.put("timeout", "x");
        asked.put("windowsize", "y");
        TransferOptions options = read(asked, 1000);
        assertEquals(Map.of(), options.acknowledged());
        assertEquals(512, options.blockSize());
        assertEquals(1, options.windowSize());
        assertEquals(settings.timeout(), options.timeout());
        assertFalse(options.needsOptionAck(), "nothing left to acknowledge: the transfer starts with DATA");

        assertEquals(Map.of("blksize", "1428"), read(Map.of("tsize", "enable", "blksize", "1428"), 1000).acknowledged(),
                "the options that are numbers are still negotiated");
        assertEquals(-1, TransferOptions.negotiate(Map.of("tsize", "1e3"), settings, true, -1).announcedSize(),
                "a write's tsize that is no number announces nothing");
    }

    @Test
    void aNumberTooLargeForALongIsTheLargestNotARefusal() throws Exception {
        assertEquals(settings.maxBlockSize(), read(Map.of("blksize", "99999999999999999999999"), 10).blockSize());
    }

    @Test
    void theRefusalNamesTheRangeTheClientMissed() {
        OptionRefusedException e = assertThrows(OptionRefusedException.class, () -> read(Map.of("timeout", "300"), 10));
        assertEquals("timeout 300 is out of range (1 to 255)", e.getMessage());
    }

    @Test
    void unknownOptionsAreLeftOutOfTheOack() throws Exception {
        TransferOptions options = read(Map.of("multicast", "", "utimeout", "1000", "blksize", "1432"), 10);
        assertEquals(Map.of("blksize", "1432"), options.acknowledged());
    }

    @Test
    void tsizeIsLeftOutWhenTheSizeIsUnknown() throws Exception {
        assertTrue(read(Map.of("tsize", "0"), -1).acknowledged().isEmpty());
    }

    @Test
    void aWriteRequestsTsizeIsTheAnnouncedUploadSize() throws Exception {
        TransferOptions options = TransferOptions.negotiate(Map.of("tsize", "4096"), settings, true, -1);
        assertEquals(4096, options.announcedSize());
        assertEquals(Map.of("tsize", "4096"), options.acknowledged());
    }

    private TransferOptions read(Map<String, String> asked, long size) throws OptionRefusedException {
        return TransferOptions.negotiate(asked, settings, false, size);
    }

    private void assertRefused(String name, String value) {
        OptionRefusedException e = assertThrows(OptionRefusedException.class, () -> read(Map.of(name, value), 10));
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}

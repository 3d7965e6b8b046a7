package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class MtftpChannelTest {

    /** Sub-options 1-5 as a PXE server sends them: group, client port, server port, timeout, delay. */
    private static final byte[] MTFTP = {
            1, 4, (byte) 233, (byte) 252, 0, 1,
            2, 2, 0x06, (byte) 0xde,
            3, 2, 0x06, (byte) 0xdf,
            4, 1, 2,
            5, 1, 4};

    @Test
    void readsTheFiveMtftpSubOptions() throws Exception {
        MtftpChannel channel = MtftpChannel.fromOption43(concat(MTFTP, new byte[] {(byte) 255})).orElseThrow();

        assertEquals(InetAddress.getByName("233.252.0.1"), channel.group());
        assertEquals(1758, channel.clientPort());
        assertEquals(1759, channel.serverPort());
        assertEquals(2, channel.openTimeoutSeconds());
        assertEquals(4, channel.reopenDelaySeconds());
    }

    @Test
    void skipsPadsAndOtherSubOptionsAround() {
        byte[] discoveryControl = {6, 1, 8};
        byte[] bootServers = {8, 7, (byte) 0x80, 0, 1, (byte) 198, 18, 32, 1};
        byte[] option = concat(new byte[] {0, 0}, discoveryControl, MTFTP, new byte[] {0}, bootServers, new byte[] {(byte) 255});

        assertEquals(1758, MtftpChannel.fromOption43(option).orElseThrow().clientPort());
    }

    @Test
    void nothingAfterEndCounts() {
        byte[] option = concat(new byte[] {(byte) 255}, MTFTP);

        assertEquals(Optional.empty(), MtftpChannel.fromOption43(option));
    }

    @Test
    void withoutAllFiveTheRomUsesUnicast() {
        byte[] noDelay = Arrays.copyOf(MTFTP, MTFTP.length - 3);

        assertEquals(Optional.empty(), MtftpChannel.fromOption43(noDelay));
        assertEquals(Optional.empty(), MtftpChannel.fromOption43(new byte[] {6, 1, 8, (byte) 255}));
        assertEquals(Optional.empty(), MtftpChannel.fromOption43(new byte[0]));
    }

    @Test
    void aSubOptionOfTheWrongSizeIsRefused() {
        byte[] portOfOneByte = MTFTP.clone();
        portOfOneByte[7] = 1;
        byte[] option = concat(Arrays.copyOf(portOfOneByte, 9), Arrays.copyOfRange(MTFTP, 10, MTFTP.length));

        assertEquals(Optional.empty(), MtftpChannel.fromOption43(option));
    }

    @Test
    void aSubOptionRunningPastTheOptionIsRefused() {
        byte[] truncated = Arrays.copyOf(MTFTP, MTFTP.length - 1);
        byte[] lengthOnly = concat(MTFTP, new byte[] {6});

        assertEquals(Optional.empty(), MtftpChannel.fromOption43(truncated));
        assertEquals(Optional.empty(), MtftpChannel.fromOption43(lengthOnly));
    }

    @Test
    void aUnicastGroupOrPortZeroIsRefused() {
        byte[] unicast = MTFTP.clone();
        unicast[2] = (byte) 198;
        byte[] portZero = MTFTP.clone();
        portZero[8] = 0;
        portZero[9] = 0;

        assertEquals(Optional.empty(), MtftpChannel.fromOption43(unicast));
        assertEquals(Optional.empty(), MtftpChannel.fromOption43(portZero));
    }

    @Test
    void theFirstInstanceOfASubOptionCounts() {
        byte[] option = concat(MTFTP, new byte[] {2, 2, 0x07, 0x00});

        assertTrue(MtftpChannel.fromOption43(option).isPresent());
        assertEquals(1758, MtftpChannel.fromOption43(option).orElseThrow().clientPort());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

package org.diskless.bench.storm;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where and how one file is served by PXE MTFTP: the multicast group and client port it is sent
 * to, the server port a client opens it on, how many seconds a client listens before it opens a
 * transfer, and how many seconds of silence before it reopens one. A PXE ROM learns them for its
 * boot file from option 43 (PXE 2.1, table 2-1, sub-options 1-5); the simulated boot loader, for
 * the kernel and RAM disk, from its configuration file ({@link LoaderConfig}).
 */
record MtftpChannel(Inet4Address group, int clientPort, int serverPort, int openTimeoutSeconds,
                    int reopenDelaySeconds) {

    private static final int PAD = 0;
    private static final int END = 255;

    /**
     * Reads option 43's value. A ROM downloads its boot file by MTFTP only when all five MTFTP
     * sub-options are there; the others (discovery control, boot servers, menu) are skipped.
     * Empty when one of the five is missing or of the wrong size (4, 2, 2, 1, 1 bytes), when the
     * group is not a multicast address or a port is 0, or when the sub-options run past the end
     * of the option.
     */
    static Optional<MtftpChannel> fromOption43(byte[] option43) {
        byte[][] sub = new byte[6][];
        int i = 0;
        while (i < option43.length) {
            int code = option43[i++] & 0xff;
            if (code == PAD) {
                continue;
            }
            if (code == END) {
                break;
            }
            if (i >= option43.length) {
                return Optional.empty();
            }
            int length = option43[i++] & 0xff;
            if (i + length > option43.length) {
                return Optional.empty();
            }
            if (code < sub.length && sub[code] == null) {
                sub[code] = Arrays.copyOfRange(option43, i, i + length);
            }
            i += length;
        }
        if (!sized(sub[1], 4) || !sized(sub[2], 2) || !sized(sub[3], 2) || !sized(sub[4], 1) || !sized(sub[5], 1)) {
            return Optional.empty();
        }
        Inet4Address group = DhcpWire.address(sub[1]);
        int clientPort = unsigned16(sub[2]);
        int serverPort = unsigned16(sub[3]);
        if (!group.isMulticastAddress() || clientPort == 0 || serverPort == 0) {
            return Optional.empty();
        }
        return Optional.of(new MtftpChannel(group, clientPort, serverPort, sub[4][0] & 0xff, sub[5][0] & 0xff));
    }

    private static boolean sized(byte[] value, int length) {
        return value != null && value.length == length;
    }

    private static int unsigned16(byte[] value) {
        return (value[0] & 0xff) << 8 | value[1] & 0xff;
    }
}

package org.diskless.tftp.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.diskless.tftp.codec.TftpEncoder;
import org.diskless.tftp.codec.TftpOptionValues;

/**
 * The options in force for one transfer after RFC 2347 negotiation, and what goes back in the
 * OACK. Unknown options are ignored, as RFC 2347 asks, and so is an option whose value is no
 * number ({@code tsize enable}, as atftp sends when told {@code --option "tsize enable"}): it is
 * left out of the OACK and the file is served, as tftpd-hpa does. A number no client could mean
 * (a block size below 8, a timeout of 0 or above 255) is refused with ERROR 8.
 *
 * @param timeout           how long a silent client is waited for before a packet is sent again: what it
 *                          asked in the timeout option, else the server's {@code timeout}
 * @param unansweredTimeout the same until the client has answered once: never more than the server's
 *                          {@code timeout}, so that a request that is never followed up (a flood of RRQs
 *                          asking {@code timeout 255}) holds its slot for seconds, not minutes
 * @param announcedSize     the size the client announced in a WRQ's tsize, or -1
 */
record TransferOptions(int blockSize, int windowSize, Duration timeout, Duration unansweredTimeout,
                       long announcedSize, Map<String, String> acknowledged) {

    static final int DEFAULT_BLOCK_SIZE = 512;

    static final String BLKSIZE = "blksize";
    static final String TSIZE = "tsize";
    static final String TIMEOUT = "timeout";
    static final String WINDOWSIZE = "windowsize";

    /** A requested option value that cannot be honoured; answered with ERROR 8. */
    static final class OptionRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        OptionRefusedException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /**
     * @param fileSize the size of the file a RRQ reads (for tsize), or -1 for a WRQ or when it
     *                 cannot be known up front
     */
    static TransferOptions negotiate(Map<String, String> requested, TftpSettings settings, boolean write,
                                     long fileSize) throws OptionRefusedException {
        Map<String, String> ack = new LinkedHashMap<>();
        int blockSize = DEFAULT_BLOCK_SIZE;
        int windowSize = 1;
        Duration timeout = settings.timeout();
        long announcedSize = -1;
        for (Map.Entry<String, String> option : requested.entrySet()) {
            OptionalLong value = TftpOptionValues.number(option.getValue());
            if (value.isEmpty()) {
                continue; // every option this server knows has a number for its value
            }
            switch (option.getKey()) {
                case BLKSIZE -> {
                    long asked = number(BLKSIZE, value, TftpSettings.MIN_BLOCK_SIZE, Long.MAX_VALUE);
                    blockSize = (int) Math.min(asked, settings.maxBlockSize());
                    ack.put(BLKSIZE, Integer.toString(blockSize));
                }
                case WINDOWSIZE -> {
                    windowSize = (int) Math.min(number(WINDOWSIZE, value, 1, Long.MAX_VALUE),
                            settings.maxWindowSize());
                    ack.put(WINDOWSIZE, "");
                }
                case TIMEOUT -> {
                    timeout = Duration.ofSeconds(number(TIMEOUT, value, 1, 255));
                    ack.put(TIMEOUT, Long.toString(timeout.getSeconds()));
                }
                case TSIZE -> {
                    long size = number(TSIZE, value, 0, Long.MAX_VALUE);
                    if (write) {
                        announcedSize = size;
                        ack.put(TSIZE, Long.toString(size));
                    } else if (fileSize >= 0) {
                        ack.put(TSIZE, Long.toString(fileSize));
                    }
                }
                default -> {
                    // RFC 2347: options the server does not know are left out of the OACK.
                }
            }
        }
        if (ack.containsKey(WINDOWSIZE)) {
            // Decided last: what fits in the client's buffer depends on the block size, whatever
            // the option order. Past it every window loses its tail and waits for a retransmission.
            windowSize = Math.min(windowSize, blocksThatFit(settings.clientReceiveBuffer(), blockSize));
            ack.put(WINDOWSIZE, Integer.toString(windowSize));
        }
        Duration unansweredTimeout = timeout.compareTo(settings.timeout()) < 0 ? timeout : settings.timeout();
        return new TransferOptions(blockSize, windowSize, timeout, unansweredTimeout, announcedSize,
                Collections.unmodifiableMap(ack));
    }

    private static final int UDP_HEADER_SIZE = 8;
    /** IP payload of one fragment on a 1500-byte Ethernet MTU, the usual boot network. */
    static final int FRAGMENT_PAYLOAD = 1480;
    /**
     * What Linux charges a UDP socket's receive buffer for each such fragment (the frame's buffer
     * and bookkeeping, measured over veth: 15 datagrams of 8196 bytes, 6 fragments each, fill the
     * default 212992 bytes), far more than the 1480 bytes it carries.
     */
    static final int FRAGMENT_CHARGE = 2368;

    /**
     * How many DATA packets of {@code blockSize} a client's receive buffer of {@code bufferBytes}
     * (at least 1) takes before it drops one, if the client read none of them meanwhile; at least
     * one. Linux queues a datagram while the buffer holds less than its size, so the last one may
     * overshoot.
     */
    static int blocksThatFit(int bufferBytes, int blockSize) {
        int ipPayload = TftpEncoder.DATA_HEADER_SIZE + blockSize + UDP_HEADER_SIZE;
        int fragments = (ipPayload + FRAGMENT_PAYLOAD - 1) / FRAGMENT_PAYLOAD;
        return (bufferBytes - 1) / (fragments * FRAGMENT_CHARGE) + 1;
    }

    boolean needsOptionAck() {
        return !acknowledged.isEmpty();
    }

    /** The number of an option, refused unless in {@code [min, max]}. */
    private static long number(String name, OptionalLong value, long min, long max) throws OptionRefusedException {
        long parsed = value.getAsLong();
        if (parsed < min || parsed > max) {
            throw new OptionRefusedException(name + " " + parsed + " is out of range ("
                    + (max == Long.MAX_VALUE ? "at least " + min : min + " to " + max) + ")");
        }
        return parsed;
    }
}

package org.diskless.tftp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.tftp.internal.TftpMonitor;
import org.diskless.tftp.internal.TftpStatistics;
import org.diskless.tftp.internal.TransferView;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 2048);

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static TftpMonitor monitor(List<TransferView> transfers, boolean listening) {
        return new TftpMonitor() {
            @Override
            public List<TransferView> transfers() {
                return transfers;
            }

            @Override
            public TftpStatistics statistics() {
                return new TftpStatistics(30, 1, 12, 10, 2, 3 * 1024 * 1024, 435, 4, 5, 6, 7, 0, 1, 3, 0, 2, 700, 1,
                        transfers.size(), Map.of("FILE_NOT_FOUND", 2L, "UNKNOWN_TRANSFER_ID", 1L));
            }

            @Override
            public String transport() {
                return "epoll with UDP segmentation offload";
            }

            @Override
            public Optional<InetSocketAddress> listeningOn() {
                return listening ? Optional.of(new InetSocketAddress("0.0.0.0", 69)) : Optional.empty();
            }
        };
    }

    @Test
    void transfersShowsClientFileProgressRateAndResends() {
        TransfersCommand command = new TransfersCommand();
        command.monitor = monitor(List.of(new TransferView(CLIENT, "vmlinuz", TransferView.Direction.READ,
                4 * 1024 * 1024, 8 * 1024 * 1024, 1468, 8, Instant.now(), Duration.ofSeconds(2), 37)), true);
        command.out = out;
        command.execute();
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("192.0.2.10:2048"), text);
        assertTrue(text.contains("vmlinuz"), text);
        assertTrue(text.contains("50%"), text);
        assertTrue(text.contains("2.0 MiB/s"), text);
        assertTrue(text.contains("1468/8"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches(".*1468/8\\s+\\|?\\s*37\\s.*")),
                "37 packets resent, after the block and window sizes:\n" + text);
    }

    @Test
    void transfersSaysSoWhenIdle() {
        TransfersCommand command = new TransfersCommand();
        command.monitor = monitor(List.of(), true);
        command.out = out;
        command.execute();
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("No TFTP transfers in progress."));
    }

    @Test
    void statsAccountForEveryRequestOnceAndShowErrorsByCode() {
        StatsCommand command = new StatsCommand();
        command.monitor = monitor(List.of(), true);
        command.out = out;
        command.execute();
        assertEquals(GOLDEN_STATS, printed.toString(StandardCharsets.UTF_8).replaceAll(" +\n", "\n"));
    }

    private static final String GOLDEN_STATS = """
            Listening on  *:69
            Transport     epoll with UDP segmentation offload

            Requests            | Count |
            --------------------+-------+-----------------------------------------------
            Received            |    31 | 30 read, 1 write
            Completed           |    10 |
            Failed              |     2 | started, then timed out or aborted
            Refused busy        |     6 | maxTransfers in progress
            Refused client busy |     7 | maxTransfersPerClient in progress
            Refused queue full  |     0 | too many waited for the file system
            Not served          |     3 | no such file, access denied, ...: ERRORs below
            Repeated            |     1 | repeat a request being served
            Multicast           |     0 | left to RFC 2090 multicast
            Preparing           |     2 | admitted, file being opened
            Transferring        |     0 | in progress: tftp:transfers lists them
            The outcomes add up to the 31 requests received.

            Traffic           |   Count |
            ------------------+---------+-------------------------------------
            Bytes sent        | 3145728 | 3.0 MiB
            Bytes received    |     435 |
            Retransmissions   |       4 | packets sent again
            Segment trains    |     700 | 1 refused by the kernel: see the log
            Malformed packets |       5 |
            ERROR 1 sent      |       2 | file not found
            ERROR 5 sent      |       1 | unknown transfer id
            """;

    @Test
    void statsPointToTheLogWhenNotListening() {
        StatsCommand command = new StatsCommand();
        command.monitor = monitor(List.of(), false);
        command.out = out;
        command.execute();
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("not listening: see the log"));
    }
}

package org.diskless.tftp.command;

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
                return new TftpStatistics(12, 1, 10, 2, 3 * 1024 * 1024, 0, 4, 5, 6, 7, 9, 8, 700, 1, transfers.size(),
                        Map.of("FILE_NOT_FOUND", 2L));
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
    void statsShowCountersAndErrorsByCode() {
        StatsCommand command = new StatsCommand();
        command.monitor = monitor(List.of(), true);
        command.out = out;
        command.execute();
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Listening on       *:69"), text);
        assertTrue(text.contains("Read requests      12"), text);
        assertTrue(text.contains("(3.0 MiB)"), text);
        assertTrue(text.contains("FILE_NOT_FOUND=2"), text);
        assertTrue(text.contains("Transport          epoll with UDP segmentation offload"), text);
        assertTrue(text.contains("Segment trains     700 (1 refused by the kernel: see the log)"), text);
        assertTrue(text.contains("Refused (client)   7 (maxTransfersPerClient)"), text);
        assertTrue(text.contains("Repeated requests  8"), text);
    }

    @Test
    void statsPointToTheLogWhenNotListening() {
        StatsCommand command = new StatsCommand();
        command.monitor = monitor(List.of(), false);
        command.out = out;
        command.execute();
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("not listening: see the log"));
    }
}

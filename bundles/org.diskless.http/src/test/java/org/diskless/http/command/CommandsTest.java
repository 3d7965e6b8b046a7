package org.diskless.http.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.http.internal.HttpMonitor;
import org.diskless.http.internal.HttpTransferView;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static HttpMonitor monitor(List<HttpTransferView> transfers, boolean listening) {
        return new HttpMonitor() {
            @Override
            public List<HttpTransferView> transfers() {
                return transfers;
            }

            @Override
            public Map<String, Long> counters() {
                Map<String, Long> counters = new LinkedHashMap<>();
                counters.put("files_sent", 12L);
                counters.put("not_found", 3L);
                return counters;
            }

            @Override
            public int openConnections() {
                return 4;
            }

            @Override
            public String transport() {
                return "epoll";
            }

            @Override
            public Optional<InetSocketAddress> listeningOn() {
                return listening ? Optional.of(new InetSocketAddress("0.0.0.0", 8080)) : Optional.empty();
            }
        };
    }

    @Test
    void transfersShowsClientFileProgressAndHowItIsSent() {
        TransfersCommand command = new TransfersCommand();
        command.monitor = monitor(List.of(new HttpTransferView(new InetSocketAddress("192.0.2.10", 50000),
                "images/initrd.gz", 4 * 1024 * 1024, 8 * 1024 * 1024, true, Instant.now(), Duration.ofSeconds(2))), true);
        command.out = out;
        command.execute();
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("192.0.2.10:50000"), text);
        assertTrue(text.contains("images/initrd.gz"), text);
        assertTrue(text.contains("50%"), text);
        assertTrue(text.contains("2.0"), text);
        assertTrue(text.contains("sendfile"), text);
    }

    @Test
    void transfersSaysWhenNothingIsSent() {
        TransfersCommand command = new TransfersCommand();
        command.monitor = monitor(List.of(), true);
        command.out = out;
        command.execute();
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("No HTTP transfers in progress."));
    }

    @Test
    void statsShowsWhereItListensAndEveryCounter() {
        StatsCommand command = new StatsCommand();
        command.monitor = monitor(List.of(), true);
        command.out = out;
        command.execute();
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Listening on *:8080"), text);
        assertTrue(text.contains("connections_open"), text);
        assertTrue(text.matches("(?s).*files_sent\\s*[|│]?\\s*12.*"), text);
    }

    @Test
    void statsSaysWhenItDoesNotListen() {
        StatsCommand command = new StatsCommand();
        command.monitor = monitor(List.of(), false);
        command.out = out;
        command.execute();
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("not listening"));
    }
}

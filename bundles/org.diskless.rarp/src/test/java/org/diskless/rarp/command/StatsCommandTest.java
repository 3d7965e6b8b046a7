package org.diskless.rarp.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.boot.BootProtocol;
import org.diskless.rarp.internal.RarpMonitor;
import org.junit.jupiter.api.Test;

class StatsCommandTest {

    @Test
    void showsWhereItServesAndEveryCounter() {
        String printed = run(Optional.of("eth1"));

        assertTrue(printed.contains("Serving on eth1"), printed);
        assertTrue(Pattern.compile("replies[\\s|]+7\\b").matcher(printed).find(), printed);
        assertTrue(Pattern.compile("ignored_unknown_client[\\s|]+12\\b").matcher(printed).find(), printed);
    }

    @Test
    void saysWhenItIsIdle() {
        assertTrue(run(Optional.empty()).contains("Idle"));
    }

    private static String run(Optional<String> on) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("replies", 7L);
        counters.put("ignored_unknown_client", 12L);
        StatsCommand command = new StatsCommand();
        command.monitor = new RarpMonitor() {
            @Override
            public Optional<String> servingOn() {
                return on;
            }

            @Override
            public BootProtocol protocol() {
                return BootProtocol.of("RARP");
            }

            @Override
            public Map<String, Long> counters() {
                return counters;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.execute();
        return out.toString(StandardCharsets.UTF_8);
    }
}

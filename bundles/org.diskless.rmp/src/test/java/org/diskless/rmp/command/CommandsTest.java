package org.diskless.rmp.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootProtocol;
import org.diskless.rmp.internal.CnodeView;
import org.diskless.rmp.internal.RmpMonitor;
import org.diskless.rmp.internal.SessionView;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private static final HardwareAddress WILLIAM = HardwareAddress.parse("08:00:09:00:00:01");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static RmpMonitor monitor(List<SessionView> sessions, List<CnodeView> cnodes, Optional<String> on,
            boolean answerAny) {
        return new RmpMonitor() {
            @Override
            public List<SessionView> sessions() {
                return sessions;
            }

            @Override
            public List<CnodeView> cnodes() {
                return cnodes;
            }

            @Override
            public Optional<String> servingOn() {
                return on;
            }

            @Override
            public boolean answerAny() {
                return answerAny;
            }

            @Override
            public BootProtocol protocol() {
                return BootProtocol.RMP;
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of("requests", 12L, "dropped_group_source", 3L);
            }

            @Override
            public Map<String, Long> gauges() {
                return Map.of("sessions_open", (long) sessions.size());
            }
        };
    }

    private String text() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sessionsShowCnodeFileOffsetAndAge() {
        SessionsCommand command = new SessionsCommand();
        command.monitor = monitor(List.of(new SessionView(7, WILLIAM, "william", "SYSHPUX", 2048, 8192, 2048,
                Instant.now(), Duration.ofMillis(2500), Duration.ofMillis(100))), List.of(), Optional.of("eth1"), false);
        command.out = out;
        command.execute();
        assertTrue(text().contains("william"), text());
        assertTrue(text().contains("SYSHPUX"), text());
        assertTrue(text().contains("2048"), text());
        assertTrue(text().contains("25%"), text());
        assertTrue(text().contains("2.5s"), text());
        assertTrue(text().contains("08:00:09:00:00:01"), text());
    }

    @Test
    void sessionsSayWhenRmpIsIdle() {
        SessionsCommand command = new SessionsCommand();
        command.monitor = monitor(List.of(), List.of(), Optional.empty(), false);
        command.out = out;
        command.execute();
        assertTrue(text().contains("RMP is idle"), text());
    }

    @Test
    void cnodesShowFilesMachineTypeAndOrigin() {
        CnodesCommand command = new CnodesCommand();
        command.monitor = monitor(List.of(), List.of(new CnodeView("william", Optional.of(WILLIAM), Optional.of("HPS300"),
                List.of("SYSHPUX", "SYSDEBUG"), List.of("SYSHIDDEN"), "/etc/boottab:3")), Optional.of("eth1"), true);
        command.out = out;
        command.execute();
        assertTrue(text().contains("SYSHPUX,SYSDEBUG"), text());
        assertTrue(text().contains("HPS300"), text());
        assertTrue(text().contains("/etc/boottab:3"), text());
        assertTrue(text().contains("answerAny is on"), text());
    }

    @Test
    void sessionsAndCnodesNeverHandTheTerminalAControlCharacter() {
        String hostile = "SYS\u001b]0;owned\u0007\u001b[2J";
        SessionsCommand sessions = new SessionsCommand();
        sessions.monitor = monitor(List.of(new SessionView(7, WILLIAM, "william\u009b", hostile, 0, 8192, 0,
                Instant.now(), Duration.ZERO, Duration.ZERO)), List.of(), Optional.of("eth1"), false);
        sessions.out = out;
        sessions.execute();
        CnodesCommand cnodes = new CnodesCommand();
        cnodes.monitor = monitor(List.of(), List.of(new CnodeView("william", Optional.of(WILLIAM),
                Optional.of("HPS\u001b[31m"), List.of(hostile), List.of(), "/etc/boottab:3")), Optional.of("eth1"), false);
        cnodes.out = out;
        cnodes.execute();
        assertTrue(text().chars().noneMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b), text());
        assertTrue(text().contains("SYS\\x1b]0;owned\\x07"), text());
    }

    @Test
    void statsShowEveryCounterAndTheOpenSessions() {
        StatsCommand command = new StatsCommand();
        command.monitor = monitor(List.of(), List.of(), Optional.of("eth1"), false);
        command.out = out;
        command.execute();
        assertTrue(text().contains("Serving on eth1"), text());
        assertTrue(text().lines().anyMatch(l -> l.contains("sessions_open") && l.contains("0")), text());
        assertTrue(text().lines().anyMatch(l -> l.contains("dropped_group_source") && l.contains("3")), text());
    }
}

package org.diskless.mtftp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.diskless.mtftp.internal.GroupView;
import org.diskless.mtftp.internal.MtftpMonitor;
import org.diskless.mtftp.internal.SessionView;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static MtftpMonitor monitor(List<GroupView> groups, List<SessionView> sessions) {
        return new MtftpMonitor() {
            @Override
            public List<GroupView> groups() {
                return groups;
            }

            @Override
            public List<SessionView> sessions() {
                return sessions;
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of("rounds_started", 3L);
            }

            @Override
            public Map<String, Long> gauges() {
                return Map.of();
            }

            @Override
            public String transport() {
                return "epoll";
            }
        };
    }

    private String groups(List<GroupView> groups) {
        GroupsCommand command = new GroupsCommand();
        command.monitor = monitor(groups, List.of());
        command.out = out;
        command.execute();
        return printed.toString(StandardCharsets.UTF_8);
    }

    private String sessions(List<SessionView> sessions) {
        SessionsCommand command = new SessionsCommand();
        command.monitor = monitor(List.of(), sessions);
        command.out = out;
        command.execute();
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachFileShowsItsGroupMasterListenersAndWhatWasSent() {
        String text = groups(List.of(new GroupView("pxelinux.0", "239.255.42.1:1758", "192.0.2.10:2070", 9, false,
                70_000, 37_000_000, 1)));
        assertTrue(text.contains("pxelinux.0"), text);
        assertTrue(text.contains("239.255.42.1:1758"), text);
        assertTrue(text.contains("192.0.2.10:2070"), text);
        assertTrue(text.contains("37000000"), text);
        assertTrue(text.contains("Re-opens"), text);
    }

    @Test
    void listenersBeyondTheCapAreShownAsAtLeast() {
        assertTrue(groups(List.of(new GroupView("k", "239.255.42.1:1758", "-", 1024, true, 0, 0, 0)))
                .contains("1024+"));
    }

    @Test
    void noFileSaysHowToMulticastOne() {
        assertTrue(groups(List.of()).contains("etc/org.diskless.mtftp.file-"));
    }

    @Test
    void eachSessionShowsItsGroupBlockSizeMasterAndWaitingClients() {
        String text = sessions(List.of(new SessionView("vmlinuz", "239.255.69.1:1760", 1468, "192.0.2.11:3001", 4,
                5_000, 7_500_000, Duration.ofMillis(2500))));
        assertTrue(text.contains("239.255.69.1:1760"), text);
        assertTrue(text.contains("1468"), text);
        assertTrue(text.contains("192.0.2.11:3001"), text);
        assertTrue(text.contains("2.5s"), text);
    }

    @Test
    void statsShowTheTransportAndEveryCounter() {
        StatsCommand command = new StatsCommand();
        command.monitor = monitor(List.of(), List.of());
        command.out = out;
        command.execute();
        assertEquals("""
                Transport  epoll

                Counter        | Value
                ---------------+------
                rounds_started |     3
                """, printed.toString(StandardCharsets.UTF_8).replaceAll(" +\n", "\n"));
    }

    @Test
    void noSessionSaysSo() {
        assertTrue(sessions(List.of()).contains("No RFC 2090 session"));
    }
}

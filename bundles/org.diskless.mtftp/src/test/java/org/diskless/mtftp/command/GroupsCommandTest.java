package org.diskless.mtftp.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.diskless.mtftp.internal.GroupView;
import org.diskless.mtftp.internal.MtftpMonitor;
import org.junit.jupiter.api.Test;

class GroupsCommandTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private String run(List<GroupView> groups) {
        GroupsCommand command = new GroupsCommand();
        command.monitor = new MtftpMonitor() {
            @Override
            public List<GroupView> groups() {
                return groups;
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of();
            }

            @Override
            public String transport() {
                return "epoll";
            }
        };
        command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        command.execute();
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachFileShowsItsGroupMasterListenersAndWhatWasSent() {
        String text = run(List.of(new GroupView("pxelinux.0", "239.255.42.1:1758", "192.0.2.10:2070", 9, false,
                70_000, 37_000_000, 1)));
        assertTrue(text.contains("pxelinux.0"), text);
        assertTrue(text.contains("239.255.42.1:1758"), text);
        assertTrue(text.contains("192.0.2.10:2070"), text);
        assertTrue(text.contains("37000000"), text);
        assertTrue(text.contains("Re-opens"), text);
    }

    @Test
    void listenersBeyondTheCapAreShownAsAtLeast() {
        assertTrue(run(List.of(new GroupView("k", "239.255.42.1:1758", "-", 1024, true, 0, 0, 0)))
                .contains("1024+"));
    }

    @Test
    void noFileSaysHowToMulticastOne() {
        assertTrue(run(List.of()).contains("etc/org.diskless.mtftp.file-"));
    }
}

package org.diskless.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DHCP clients in the client namespace of a {@link DisklessServer}: each on its own macvlan of the
 * veth (so each has the MAC the test gives it), the scapy client dhcp_client.py, and the server's
 * dhcp:stats counters.
 */
final class DhcpClients {

    static final Duration CLIENT_RUN = Duration.ofSeconds(60);

    private final DisklessServer server;
    private final Path script;

    /** Fails (never skips) when a tool is missing; copies dhcp_client.py next to the client. */
    DhcpClients(DisklessServer server, String packages, String... tools) {
        this.server = server;
        server.requireInClient(packages, tools);
        script = server.copyToClient("dhcp_client.py");
    }

    /** A macvlan {@code link} with {@code mac} on the client namespace's veth, up. */
    void macvlan(String link, String mac) {
        Exec.Result add = server.client("ip", "link", "add", link, "link", "veth0", "address", mac,
                "type", "macvlan", "mode", "bridge");
        assertTrue(add.ok(), add::describe);
        Exec.Result up = server.client("ip", "link", "set", link, "up");
        assertTrue(up.ok(), up::describe);
    }

    void removeLinks(String... links) {
        for (String link : links) {
            server.client("sh", "-c", "ip link show " + link + " >/dev/null 2>&1 && ip link del " + link + " || true");
        }
    }

    /** Runs dhcp_client.py; exit code 2 (no offer / no ACK) is a result, anything else non-zero fails. */
    String scapy(String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        argv.addAll(List.of(args));
        Exec.Result r = server.client(CLIENT_RUN, argv.toArray(String[]::new));
        assertTrue(r.ok() || r.exitCode() == 2, () -> r.describe() + "\n" + server.shell("dhcp:stats"));
        return r.stdout();
    }

    long dropped(String reason) {
        return counter("dropped" + CELL + Pattern.quote(reason) + CELL + "(\\d+)");
    }

    long sent(String type) {
        return counter("sent" + CELL + type + CELL + "(\\d+)");
    }

    /** Between two cells of a Karaf shell table: blanks and the column separator. */
    private static final String CELL = "[\\s|│]+";

    private long counter(String regex) {
        String stats = server.shell("dhcp:stats");
        Matcher m = Pattern.compile(regex).matcher(stats);
        if (!m.find()) {
            fail("no /" + regex + "/ in dhcp:stats:\n" + stats);
        }
        return Long.parseLong(m.group(1));
    }
}

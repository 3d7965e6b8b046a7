package org.diskless.dhcp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;
import org.diskless.api.network.PoolUsage;
import org.diskless.dhcp.internal.DhcpMonitor;
import org.junit.jupiter.api.Test;

/** What dhcp:leases, dhcp:pools and dhcp:stats print: one table row per item, the columns an operator reads. */
class TablesTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String run(Action command) throws Exception {
        command.execute();
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** A row whose cells, in order, are {@code cells}, whatever separates them. */
    private static boolean hasRow(String table, String... cells) {
        String row = String.join("[\\s|│]+", List.of(cells).stream().map(Pattern::quote).toList());
        return Pattern.compile("^\\s*" + row + "(?=[\\s|│]|$)", Pattern.MULTILINE).matcher(table).find();
    }

    @Test
    void leasesAreOneRowEachWithTheStateAsked() throws Exception {
        LeasesCommand command = new LeasesCommand();
        command.out = out;
        command.state = "bound";
        command.monitor = new StubMonitor() {
            @Override
            public List<LeaseView> leases() {
                Instant inAnHour = Instant.now().plus(Duration.ofMinutes(61));
                return List.of(
                        new LeaseView("192.0.2.100", "52:54:00:00:00:01", "01:52:54:00:00:00:01", "bound", inAnHour,
                                Optional.of("node01")),
                        new LeaseView("192.0.2.101", "52:54:00:00:00:02", "ff:" + "00:".repeat(200) + "2a", "bound",
                                inAnHour, Optional.empty()),
                        new LeaseView("192.0.2.102", "52:54:00:00:00:03", "01:52:54:00:00:00:03", "offered", inAnHour,
                                Optional.empty()));
            }
        };

        String table = run(command);

        assertTrue(hasRow(table, "192.0.2.100", "52:54:00:00:00:01", "bound", "1h00m", "node01"), table);
        assertTrue(hasRow(table, "192.0.2.101", "52:54:00:00:00:02", "bound", "1h00m", "-"), table);
        assertTrue(!table.contains("192.0.2.102"), table);
        assertTrue(table.lines().allMatch(l -> l.length() < 200), "a long client id is cut:\n" + table);
        assertTrue(table.strip().endsWith("2 addresses"), table);
    }

    @Test
    void poolsAreOneRowPerSubnet() throws Exception {
        PoolsCommand command = new PoolsCommand();
        command.out = out;
        command.monitor = new StubMonitor() {
            @Override
            public List<PoolUsage> pools() {
                return List.of(PoolUsage.builder("lab", "192.0.2.0/24", 10)
                        .ranges(List.of("192.0.2.100-192.0.2.109")).bound(3).offered(1).declined(2).heldByPeers(3)
                        .free(1).build());
            }
        };

        assertTrue(hasRow(run(command), "lab", "192.0.2.0/24", "10", "3", "1", "2", "3", "1",
                "[192.0.2.100-192.0.2.109]"));
    }

    @Test
    void peersAreUsFirstThenEachPeerWithItsStateAndBuckets() throws Exception {
        PeersCommand command = new PeersCommand();
        command.out = out;
        command.clock = Clock.fixed(Instant.parse("2025-03-01T08:00:10Z"), ZoneOffset.UTC);
        command.monitor = new StubMonitor() {
            @Override
            public List<PeerView> peers() {
                return List.of(new PeerView("192.0.2.1", true, true, Optional.empty(), "0-255", 256),
                        new PeerView("192.0.2.2", false, false, Optional.of(Instant.parse("2025-03-01T08:00:04Z")),
                                "none", 0),
                        new PeerView("192.0.2.3", false, false, Optional.empty(), "none", 0));
            }
        };

        String table = run(command);

        assertTrue(hasRow(table, "192.0.2.1", "this server", "-", "256", "0-255"), table);
        assertTrue(hasRow(table, "192.0.2.2", "down", "6 s ago", "0", "none"), table);
        assertTrue(hasRow(table, "192.0.2.3", "down", "never", "0", "none"), table);
    }

    @Test
    void peersWithoutPeersSayHowToSetThem() throws Exception {
        PeersCommand command = new PeersCommand();
        command.out = out;
        command.monitor = new StubMonitor();

        assertTrue(run(command).startsWith("No peers: this server answers every client."));
    }

    @Test
    void statsSayModeBothPortsAndTransportAlignedThenEveryCounter() throws Exception {
        StatsCommand command = new StatsCommand();
        command.out = out;
        command.monitor = new StubMonitor() {
            @Override
            public List<CounterView> counterViews() {
                return List.of(new CounterView("received", "DISCOVER", 5, ""), new CounterView("sent", "OFFER", 4, ""),
                        new CounterView("dropped", "unknown-client", 1, "unknown client refused"));
            }

            @Override
            public Optional<InetSocketAddress> listeningOn() {
                return Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 67));
            }

            @Override
            public Optional<InetSocketAddress> bootServerListeningOn() {
                return Optional.of(new InetSocketAddress(4011));
            }
        };

        assertEquals("""
                Mode             server
                Listening on     127.0.0.1:67
                PXE boot server  *:4011
                Transport        epoll

                Counted  | What           | Count | Meaning
                ---------+----------------+-------+-----------------------
                received | DISCOVER       |     5 |
                sent     | OFFER          |     4 |
                dropped  | unknown-client |     1 | unknown client refused
                """, golden(run(command)));
    }

    @Test
    void poolsWithoutASubnetSaySoInOneLine() throws Exception {
        PoolsCommand command = new PoolsCommand();
        command.out = out;
        command.monitor = new StubMonitor();

        assertEquals("""
                No subnet in force: add etc/org.diskless.dhcp.subnet-<name>.cfg (a refused one is in the log).
                """, golden(run(command)));
    }

    @Test
    void leasesInAStateThatDoesNotExistAreAOneLineRefusalNamingTheStates() {
        LeasesCommand command = new LeasesCommand();
        command.out = out;
        command.state = "foo";
        command.monitor = new StubMonitor();

        CommandException refused = assertThrows(CommandException.class, command::execute);

        assertEquals("No state 'foo': use one of offered, committing, bound, declined", refused.getMessage());
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void leasesPrintOneRowEachAndTheirCount() throws Exception {
        LeasesCommand command = new LeasesCommand();
        command.out = out;
        command.clock = Clock.fixed(Instant.parse("2026-12-07T18:00:00Z"), ZoneOffset.UTC);
        command.monitor = new StubMonitor() {
            @Override
            public List<LeaseView> leases() {
                return List.of(
                        new LeaseView("192.0.2.100", "52:54:00:00:00:01", "01:52:54:00:00:00:01", "bound",
                                Instant.parse("2026-12-07T19:01:00Z"), Optional.of("node01")),
                        new LeaseView("192.0.2.102", "52:54:00:00:00:03", "01:52:54:00:00:00:03", "offered",
                                Instant.parse("2026-12-07T18:00:30Z"), Optional.empty()));
            }
        };

        assertEquals("""
                Address     | MAC               | State   | Expires in | Node   | Client id
                ------------+-------------------+---------+------------+--------+---------------------
                192.0.2.100 | 52:54:00:00:00:01 | bound   |      1h01m | node01 | 01:52:54:00:00:00:01
                192.0.2.102 | 52:54:00:00:00:03 | offered |      30.0s | -      | 01:52:54:00:00:00:03
                2 addresses
                """, golden(run(command)));
    }

    @Test
    void noLeaseIsOneLine() throws Exception {
        LeasesCommand command = new LeasesCommand();
        command.out = out;
        command.state = "declined";
        command.monitor = new StubMonitor();

        assertEquals("No address is declined.\n", golden(run(command)));
    }

    /** The text as a golden copy holds it: no blanks at the ends of lines, which a text block would drop. */
    private static String golden(String printed) {
        return printed.replace(System.lineSeparator(), "\n").replaceAll(" +\n", "\n");
    }
}

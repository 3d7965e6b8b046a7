package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.diskless.itests.DisklessServer.unique;
import static org.diskless.itests.Transfers.MIB;
import static org.diskless.itests.Transfers.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Multicast TFTP as real clients see it, on a bridged LAN with multicast on ({@link MulticastLan}):
 * atftp's PXE MTFTP client ({@code atftp --mget}) and its RFC 2090 client ({@code atftp --option
 * multicast}), one host namespace each, against the running distribution with feature
 * {@code diskless-mtftp}. Every file is random and compared byte for byte; the server's egress is read
 * from the kernel counters of its veth, and a capture on that veth must decode as TFTP throughout.
 *
 * <p>Each scenario has its own file, group and client port, so that what is left of one transfer (a
 * server still waiting on a dead master, say) cannot feed the next.
 */
class MulticastTftpIT {

    @RegisterExtension
    @Order(1)
    static final DisklessServer server = new DisklessServer();

    @RegisterExtension
    @Order(2)
    static final MulticastLan lan = new MulticastLan(server, 12);

    private static final long BIG = 16 * MIB;
    /** A 16 MiB file in 512-byte blocks: 32,768 full ones and the empty one that ends the transfer. */
    private static final long BIG_BLOCKS = BIG / 512 + 1;
    private static final int STORM_CLIENTS = 10;
    private static final int SERVER_PORT = 1759;
    private static final int TFTP_PORT = 69;
    /** What DHCP tells a PXE ROM (option 43, sub-options 4 and 5), and so what the clients here are given. */
    private static final int OPEN_TIMEOUT = 2;
    private static final int REOPEN_DELAY = 4;
    private static final String MTFTP_CFG = "org.diskless.mtftp.cfg";

    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);
    /** Bounds a group of transfers; a pass of 16 MiB takes seconds, a stuck client is killed here. */
    private static final Duration TRANSFERS_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration MID_TRANSFER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CAPTURE_TIMEOUT = Duration.ofSeconds(60);
    /** A master sends an ACK per block, a listener only its opens: far fewer than this. */
    private static final long MASTER_DATAGRAMS = 100;

    private static final MulticastFile STORM = new MulticastFile("storm", "239.255.77.1", 1758);
    private static final MulticastFile LATE = new MulticastFile("late", "239.255.77.2", 1760);
    private static final MulticastFile ORPHANED = new MulticastFile("orphaned", "239.255.77.3", 1762);
    private static final MulticastFile RFC2090 = new MulticastFile("rfc2090", "239.255.77.4", 1764);

    /** The ten clients' transfer of {@link #STORM}, made once and checked by several tests. */
    private static Storm storm;

    /** One file served by multicast: its configuration's name, its group and client port. */
    record MulticastFile(String config, String group, int clientPort) {

        String path() {
            return "mtftp/" + config + ".bin";
        }

        Path content() {
            return server.tftpboot().resolve(path());
        }

        /** What DHCP would tell the clients, as PXE MTFTP and tshark's decoding both need it. */
        String configuration() {
            return String.join("\n",
                    "file = " + path(),
                    "group = " + group,
                    "clientPort = " + clientPort,
                    "serverPort = " + SERVER_PORT,
                    "openTimeout = " + OPEN_TIMEOUT,
                    "reopenDelay = " + REOPEN_DELAY,
                    "");
        }
    }

    /** What the ten clients got, and what the server sent and the capture saw meanwhile. */
    record Storm(List<Path> got, List<Exec.Result> results, long txBytes, long txFrames, Path capture,
                 Exec.Result captureRun, String diagnostics) {
    }

    @BeforeAll
    static void serveFourFilesByMulticastAndRunTheStorm() {
        for (String tool : List.of("atftp", "dumpcap", "tshark")) {
            Exec.Result which = server.client("sh", "-c", "command -v " + tool);
            assertTrue(which.ok(), () -> tool + " is needed (apt-get install atftp tshark):\n" + which.describe());
        }
        server.randomFileInTftpboot(STORM.path(), BIG);
        server.randomFileInTftpboot(LATE.path(), BIG);
        server.randomFileInTftpboot(ORPHANED.path(), BIG);
        server.randomFileInTftpboot(RFC2090.path(), 2 * MIB + 333);
        serveByMulticast(List.of(STORM, LATE, ORPHANED, RFC2090));
        storm = runStorm();
    }

    /** The operator's steps: where multicast leaves, one configuration per file, the feature. */
    private static void serveByMulticast(List<MulticastFile> files) {
        server.writeConfig(MTFTP_CFG, String.join("\n",
                "address = " + MulticastLan.SERVER_IP,
                "interface = " + MulticastLan.SERVER_LINK,
                "ttl = 1",
                ""));
        for (MulticastFile file : files) {
            server.writeConfig("org.diskless.mtftp.file-" + file.config() + ".cfg", file.configuration());
        }
        server.shell("feature:install diskless-mtftp");
        Optional<String> listed = poll(APPLY_TIMEOUT, Duration.ofMillis(500), () -> server.shell("mtftp:groups"),
                out -> files.stream().allMatch(f -> out.contains(f.path())));
        assertTrue(listed.isPresent(), () -> "mtftp:groups did not list the four files within "
                + APPLY_TIMEOUT.toSeconds() + " s:\n" + server.shell("mtftp:groups") + "\n" + server.logSince(0));
    }

    private static Storm runStorm() {
        List<MulticastLan.Host> hosts = lan.hosts().subList(0, STORM_CLIENTS);
        Capture capture = Capture.start("storm");
        long bytesBefore = lan.serverTxBytes();
        long framesBefore = lan.serverTxPackets();
        List<Path> got = new ArrayList<>();
        List<Exec.Running> clients = new ArrayList<>();
        for (MulticastLan.Host host : hosts) {
            Path out = output(STORM, host);
            got.add(out);
            clients.add(lan.start(host, mget(STORM, out)));
        }
        List<Exec.Result> results = awaitAll(clients, TRANSFERS_TIMEOUT);
        long frames = awaitQuietServer() - framesBefore;
        long bytes = lan.serverTxBytes() - bytesBefore;
        Exec.Result captureRun = capture.stop();
        return new Storm(got, results, bytes, frames, capture.file(), captureRun,
                diagnostics(hosts, results) + String.format("%nserver egress on %s: %,d bytes in %,d frames (%.3f x the file)",
                        MulticastLan.SERVER_LINK, bytes, frames, (double) bytes / BIG));
    }

    // ---------------------------------------------------------------- PXE MTFTP, ten clients at once

    @Test
    void tenPxeClientsAtOnceEachGetTheExactBytes() {
        for (int i = 0; i < STORM_CLIENTS; i++) {
            Exec.Result result = storm.results().get(i);
            Path got = storm.got().get(i);
            assertSameBytes(STORM.content(), got, withDiagnostics(result, storm.diagnostics()));
        }
    }

    /**
     * One copy of the file on the wire is {@value #BIG_BLOCKS} DATA frames, each 512 bytes of the file
     * (none in the last) behind 14 bytes of Ethernet, 20 of IPv4, 8 of UDP and 4 of TFTP header: 1.09 x
     * the file. The veth counts those headers (it has no preamble or FCS). The bound of 1.2 x leaves
     * room for the first block sent to the master alone, answers to the other clients' opens, ARP and
     * a few blocks sent again, not for a second pass: ten unicast transfers would cost 10.9 x.
     */
    @Test
    void theTenClientsCostTheServerAtMostOnePointTwoCopiesOnItsVeth() {
        double ratio = (double) storm.txBytes() / BIG;
        assertTrue(storm.txFrames() >= BIG_BLOCKS, () -> "the server's veth counted fewer frames than one copy of "
                + "the file has blocks: is it the link the transfers left by?" + storm.diagnostics());
        assertTrue(ratio <= 1.2, () -> String.format("the server sent %.3f x the file (%,d bytes) for ten clients",
                ratio, storm.txBytes()) + storm.diagnostics());
    }

    @Test
    void tsharkOnTheServersVethDecodesEveryFrameOfTheStormAsTftpWithNothingMalformed() {
        Decoded decoded = Capture.decode(storm.capture(), storm.captureRun(), STORM.clientPort());
        decoded.assertAllTftpNothingMalformed();
        assertTrue(decoded.count(3) >= BIG_BLOCKS, () -> "the capture holds fewer DATA frames than the file has blocks: "
                + decoded.count(3) + decoded.summary());
        assertTrue(decoded.count(1) >= 1 && decoded.count(4) >= BIG_BLOCKS - 1,
                () -> "an open (RRQ) and an ACK per block from the master" + decoded.summary());
    }

    @Test
    void mtftpGroupsShowsTheStormFileWithBlocksSent() {
        String groups = server.shell("mtftp:groups");
        String row = groups.lines().filter(l -> l.contains(STORM.path())).findFirst()
                .orElseGet(() -> fail("mtftp:groups has no row for " + STORM.path() + ":\n" + groups));
        assertTrue(row.contains(STORM.group() + ":" + STORM.clientPort()), () -> "the row names group:port:\n" + groups);
        long blocksSent = column(groups, row, "blocks sent");
        assertTrue(blocksSent >= BIG_BLOCKS, () -> "blocks sent " + blocksSent + " is less than one copy:\n" + groups);
    }

    // ---------------------------------------------------------------- PXE MTFTP, joining and losing

    @Test
    void aClientStartedMidTransferStillGetsTheExactBytes() {
        List<MulticastLan.Host> early = lan.hosts().subList(0, 3);
        MulticastLan.Host late = lan.hosts().get(3);
        long framesBefore = lan.serverTxPackets();
        List<Exec.Running> clients = new ArrayList<>();
        List<Path> got = new ArrayList<>();
        for (MulticastLan.Host host : early) {
            got.add(output(LATE, host));
            clients.add(lan.start(host, mget(LATE, got.get(got.size() - 1))));
        }
        awaitServerSent(framesBefore, BIG_BLOCKS / 4, clients);
        got.add(output(LATE, late));
        clients.add(lan.start(late, mget(LATE, got.get(3))));
        long sentWhenLateStarted = lan.serverTxPackets() - framesBefore;

        List<Exec.Result> results = awaitAll(clients, TRANSFERS_TIMEOUT);
        String diagnostics = diagnostics(lan.hosts().subList(0, 4), results);
        assertTrue(sentWhenLateStarted < BIG_BLOCKS, () -> "the late client started after the first pass had ended ("
                + sentWhenLateStarted + " frames sent)" + diagnostics);
        for (int i = 0; i < clients.size(); i++) {
            assertSameBytes(LATE.content(), got.get(i), withDiagnostics(results.get(i), diagnostics));
        }
        deleteAll(got);
    }

    @Test
    void killingTheMasterMidTransferLetsEveryOtherClientFinish() {
        List<MulticastLan.Host> hosts = lan.hosts().subList(4, 8);
        List<MulticastLan.Udp> before = hosts.stream().map(lan::udp).toList();
        long framesBefore = lan.serverTxPackets();
        List<Exec.Running> clients = new ArrayList<>();
        List<Path> got = new ArrayList<>();
        for (MulticastLan.Host host : hosts) {
            got.add(output(ORPHANED, host));
            clients.add(lan.start(host, mget(ORPHANED, got.get(got.size() - 1))));
        }
        awaitServerSent(framesBefore, BIG_BLOCKS / 4, clients);

        // The master is the one client that ACKs: wire truth from each host's UDP stack, not the server's word.
        List<Long> sent = IntStream.range(0, hosts.size())
                .mapToObj(i -> lan.udp(hosts.get(i)).outDatagrams() - before.get(i).outDatagrams()).toList();
        List<Integer> masters = IntStream.range(0, hosts.size()).filter(i -> sent.get(i) > MASTER_DATAGRAMS).boxed().toList();
        if (masters.size() != 1) {
            clients.forEach(Exec.Running::kill);
            fail("expected exactly one client sending ACKs, datagrams sent per client: " + sent);
        }
        int master = masters.get(0);
        Exec.Result killed = clients.get(master).kill();
        long sentAtKill = lan.serverTxPackets() - framesBefore;

        List<Exec.Result> results = awaitAll(clients, TRANSFERS_TIMEOUT);
        String diagnostics = diagnostics(hosts, results) + "\nkilled master " + hosts.get(master).ip()
                + " after the server sent " + sentAtKill + " frames: " + killed.describe();
        assertTrue(sentAtKill < BIG_BLOCKS, () -> "the master finished before it was killed" + diagnostics);
        for (int i = 0; i < clients.size(); i++) {
            if (i != master) {
                assertSameBytes(ORPHANED.content(), got.get(i), withDiagnostics(results.get(i), diagnostics));
            }
        }
        deleteAll(got);
    }

    // ---------------------------------------------------------------- RFC 2090

    @Test
    void threeRfc2090ClientsAtOnceEachGetTheExactBytesAndTheMasterIsToldSoInTheOack() {
        List<MulticastLan.Host> hosts = lan.hosts().subList(8, 11);
        Capture capture = Capture.start("rfc2090");
        List<Exec.Running> clients = new ArrayList<>();
        List<Path> got = new ArrayList<>();
        for (MulticastLan.Host host : hosts) {
            Path out = output(RFC2090, host);
            got.add(out);
            clients.add(lan.start(host, "atftp", "--option", "multicast", "-g", "-r", RFC2090.path(),
                    "-l", out.toString(), MulticastLan.SERVER_IP, String.valueOf(TFTP_PORT)));
        }
        List<Exec.Result> results = awaitAll(clients, TRANSFERS_TIMEOUT);
        Exec.Result captureRun = capture.stop();
        String diagnostics = diagnostics(hosts, results);
        for (int i = 0; i < clients.size(); i++) {
            assertSameBytes(RFC2090.content(), got.get(i), withDiagnostics(results.get(i), diagnostics));
        }
        Decoded decoded = Capture.decode(capture.file(), captureRun, RFC2090.clientPort());
        decoded.assertAllTftpNothingMalformed();
        String master = RFC2090.group() + "," + RFC2090.clientPort() + ",1";
        assertTrue(decoded.optionValues("multicast").contains(master),
                () -> "no OACK made a client master with multicast=" + master + decoded.summary());
        deleteAll(got);
    }

    // ---------------------------------------------------------------- helpers

    private static String[] mget(MulticastFile file, Path out) {
        return new String[] {"atftp", "--mget",
                "--mtftp", "client-port " + file.clientPort(),
                "--mtftp", "mcast-ip " + file.group(),
                "--mtftp", "listen-delay " + OPEN_TIMEOUT,
                "--mtftp", "timeout-delay " + REOPEN_DELAY,
                "-r", file.path(), "-l", out.toString(), MulticastLan.SERVER_IP, String.valueOf(SERVER_PORT)};
    }

    private static Path output(MulticastFile file, MulticastLan.Host host) {
        return server.clientDir().resolve(unique(file.config() + "-" + host.ip() + "-", ".bin"));
    }

    /** Awaits every client within one shared bound; those still running then are killed. */
    private static List<Exec.Result> awaitAll(List<Exec.Running> clients, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        return clients.stream()
                .map(c -> c.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))))
                .toList();
    }

    /** Waits (bounded) until the server has sent {@code frames} frames since {@code before}: a transfer is under way. */
    private static void awaitServerSent(long before, long frames, List<Exec.Running> clients) {
        Optional<Long> sent = poll(MID_TRANSFER_TIMEOUT, Duration.ofMillis(20), () -> lan.serverTxPackets() - before,
                n -> n >= frames || clients.stream().noneMatch(Exec.Running::isAlive));
        if (sent.isEmpty() || sent.get() < frames) {
            List<Exec.Result> results = clients.stream().map(Exec.Running::kill).toList();
            fail("the server did not send " + frames + " frames within " + MID_TRANSFER_TIMEOUT.toSeconds()
                    + " s of the clients' start:\n" + results.stream().map(Exec.Result::describe)
                    .collect(Collectors.joining("\n")));
        }
    }

    /** Waits (bounded) until the server's veth stops sending, and returns its frame count then. */
    private static long awaitQuietServer() {
        long[] last = {lan.serverTxPackets()};
        poll(Duration.ofSeconds(15), Duration.ofSeconds(1), () -> {
            long now = lan.serverTxPackets();
            boolean quiet = now == last[0];
            last[0] = now;
            return quiet;
        }, Boolean::booleanValue);
        return last[0];
    }

    /** Per client: address, exit, receive-buffer drops (a listener that drops blocks has to open again). */
    private static String diagnostics(List<MulticastLan.Host> hosts, List<Exec.Result> results) {
        StringBuilder sb = new StringBuilder("\n--- clients ---");
        for (int i = 0; i < hosts.size(); i++) {
            MulticastLan.Udp udp = lan.udp(hosts.get(i));
            Exec.Result r = results.get(i);
            sb.append(String.format("%n%s exit %d%s, UDP datagrams sent %d, receive buffer drops %d (counters since the LAN was made): %s",
                    hosts.get(i).ip(), r.exitCode(), r.timedOut() ? " (timed out)" : "", udp.outDatagrams(),
                    udp.receiveBufferErrors(), r.stderr().strip().lines().skip(4).collect(Collectors.joining(" | "))));
        }
        Exec.Result groups = server.shellResult("mtftp:groups", Duration.ofSeconds(30));
        return sb.append("\n--- mtftp:groups ---\n").append(groups.stdout()).toString();
    }

    private static Exec.Result withDiagnostics(Exec.Result r, String diagnostics) {
        return new Exec.Result(r.command(), r.exitCode(), r.stdout(), r.stderr() + diagnostics, r.timedOut(), r.took());
    }

    /**
     * The number in {@code row} under the header cell {@code header} (case ignored) of a console
     * table whose columns are separated by two or more spaces.
     */
    private static long column(String table, String row, String header) {
        String head = table.lines().filter(l -> l.toLowerCase().contains(header)).findFirst()
                .orElseGet(() -> fail("no column '" + header + "' in:\n" + table));
        List<String> names = List.of(head.strip().toLowerCase().split("\\s{2,}"));
        String[] cells = row.strip().split("\\s{2,}");
        int index = names.indexOf(header);
        if (index < 0 || index >= cells.length) {
            fail("cannot find '" + header + "' in the row " + row + " of:\n" + table);
        }
        Matcher number = Pattern.compile("\\d[\\d,]*").matcher(cells[index]);
        if (!number.find()) {
            fail("no number under '" + header + "' in " + row);
        }
        return Long.parseLong(number.group().replace(",", ""));
    }

    private static void deleteAll(List<Path> files) {
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---------------------------------------------------------------- the capture on the server's veth

    /** dumpcap on the server's veth, UDP only, into a file beside the clients' downloads. */
    private record Capture(Exec.Running dumpcap, Path file) {

        static Capture start(String label) {
            Path file = server.clientDir().resolve(unique("mtftp-" + label + "-", ".pcapng"));
            Exec.Running dumpcap = server.inServerNsAsync("dumpcap", "-q", "-i", MulticastLan.SERVER_LINK,
                    "-f", "udp", "-w", file.toString());
            // dumpcap writes the file's header once it captures.
            if (poll(Duration.ofSeconds(10), Duration.ofMillis(100), () -> Files.exists(file) && Transfers.size(file) > 0,
                    Boolean::booleanValue).isEmpty()) {
                fail("dumpcap did not start on " + MulticastLan.SERVER_LINK + ":\n"
                        + dumpcap.stop(Duration.ofSeconds(5)).describe());
            }
            return new Capture(dumpcap, file);
        }

        Exec.Result stop() {
            return dumpcap.stop(Duration.ofSeconds(10));
        }

        /** Every frame's protocol stack and TFTP fields, the client and server ports decoded as TFTP. */
        static Decoded decode(Path file, Exec.Result captureRun, int clientPort) {
            Exec.Result r = Exec.run(file.getParent(), CAPTURE_TIMEOUT, List.of("tshark", "-n", "-r", file.toString(),
                    "-d", "udp.port==" + clientPort + ",tftp", "-d", "udp.port==" + SERVER_PORT + ",tftp",
                    // Repeated fields (one per option) joined by ';': the multicast value has commas of its own.
                    "-T", "fields", "-E", "separator=/t", "-E", "aggregator=;", "-e", "frame.number", "-e", "frame.protocols",
                    "-e", "tftp.opcode", "-e", "tftp.option.name", "-e", "tftp.option.value"));
            assertTrue(r.ok(), r::describe);
            return new Decoded(r.stdout().lines().map(l -> l.split("\t", -1)).toList(), captureRun);
        }
    }

    /** tshark's fields per frame: number, protocols, TFTP opcode, option names and values. */
    private record Decoded(List<String[]> frames, Exec.Result captureRun) {

        void assertAllTftpNothingMalformed() {
            assertTrue(!frames.isEmpty(), () -> "the capture is empty" + summary());
            List<String> notTftp = frames.stream().filter(f -> !f[1].contains(":udp:tftp")).map(f -> f[0] + " " + f[1])
                    .limit(20).toList();
            List<String> malformed = frames.stream().filter(f -> f[1].contains("_ws.malformed")).map(f -> f[0] + " " + f[1])
                    .limit(20).toList();
            assertEquals(List.of(), notTftp, () -> "frames that do not decode as TFTP" + summary());
            assertEquals(List.of(), malformed, () -> "malformed frames" + summary());
        }

        long count(int opcode) {
            return frames.stream().filter(f -> f[2].equals(String.valueOf(opcode))).count();
        }

        /** The values of option {@code name} in every OACK. */
        List<String> optionValues(String name) {
            List<String> values = new ArrayList<>();
            for (String[] f : frames) {
                List<String> names = List.of(f[3].split(";"));
                List<String> vals = List.of(f[4].split(";"));
                int i = names.indexOf(name);
                if (f[2].equals("6") && i >= 0 && i < vals.size()) {
                    values.add(vals.get(i));
                }
            }
            return values;
        }

        String summary() {
            long data = count(3);
            return String.format("%n%d frames, %d RRQ, %d DATA, %d ACK, %d ERROR, %d OACK; dumpcap: %s",
                    frames.size(), count(1), data, count(4), count(5), count(6), captureRun.stderr().strip());
        }
    }
}

package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.diskless.itests.DisklessServer.unique;
import static org.diskless.itests.Transfers.MIB;
import static org.diskless.itests.Transfers.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertAll;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Supplier;
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
    /** Not a multiple of 512: the last block is a short one. */
    private static final long RFC2090_SIZE = 2 * MIB + 333;
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
    private static final String RRQ = "1";
    private static final String DATA = "3";
    private static final String ACK = "4";
    private static final String ERROR = "5";
    private static final String OACK = "6";
    /** Between the cells of a Karaf shell table. */
    private static final Pattern CELL_SEPARATOR = Pattern.compile("\\s*[|\u2502]\\s*");

    private static final MulticastFile STORM = new MulticastFile("storm", "239.255.77.1", 1758);
    private static final MulticastFile LATE = new MulticastFile("late", "239.255.77.2", 1762);
    private static final MulticastFile ORPHANED = new MulticastFile("orphaned", "239.255.77.3", 1764);
    /** Any file may be asked for with the RFC 2090 option; its sessions use the server's one group here. */
    private static final MulticastFile RFC2090 = new MulticastFile("rfc2090", "239.255.77.4", 1766);

    /** The ten clients' transfer of {@link #STORM}, made once and checked by several tests. */
    private static Storm storm;

    /** A file served by multicast: a short name (of its configuration and its file), its group and client port. */
    record MulticastFile(String name, String group, int clientPort) {

        String path() {
            return "mtftp/" + name + ".bin";
        }

        Path content() {
            return server.tftpboot().resolve(path());
        }

        /** Its PXE MTFTP configuration: what DHCP would tell a PXE ROM about it. */
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
    record Storm(List<Path> got, List<Exec.Result> results, Sent sent, Path capture, Exec.Result captureRun,
                 List<Long> receiveBufferDrops, String diagnostics) {
    }

    /** The kernel's counters of what the server sent on its veth into the LAN, or a difference of them. */
    record Sent(long bytes, long frames) {

        static Sent now() {
            return new Sent(lan.serverTxBytes(), lan.serverTxPackets());
        }

        /** The counters once the server has sent nothing for a second (at most 15 s from now). */
        static Sent whenQuiet() {
            return steady(Sent::now, Duration.ofSeconds(1), Duration.ofSeconds(15));
        }

        Sent minus(Sent before) {
            return new Sent(bytes - before.bytes, frames - before.frames);
        }

        String describe(long fileSize) {
            return String.format("server egress on %s: %,d bytes in %,d frames, %.3f x the file",
                    MulticastLan.SERVER_LINK, bytes, frames, (double) bytes / fileSize);
        }
    }

    @BeforeAll
    static void serveByMulticastAndRunTheStorm() {
        for (String tool : List.of("atftp", "dumpcap", "tshark")) {
            Exec.Result which = server.client("sh", "-c", "command -v " + tool);
            assertTrue(which.ok(), () -> tool + " is needed (apt-get install atftp tshark):\n" + which.describe());
        }
        server.randomFileInTftpboot(STORM.path(), BIG);
        server.randomFileInTftpboot(LATE.path(), BIG);
        server.randomFileInTftpboot(ORPHANED.path(), BIG);
        server.randomFileInTftpboot(RFC2090.path(), RFC2090_SIZE);
        serveByMulticast(List.of(STORM, LATE, ORPHANED));
        storm = runStorm();
    }

    /**
     * The operator's steps: where multicast leaves and the RFC 2090 group, one configuration per PXE
     * MTFTP file, the feature.
     */
    private static void serveByMulticast(List<MulticastFile> files) {
        server.setProperty(MTFTP_CFG, "address", MulticastLan.SERVER_IP);
        server.setProperty(MTFTP_CFG, "interface", MulticastLan.SERVER_LINK);
        server.setProperty(MTFTP_CFG, "ttl", "1");
        server.setProperty(MTFTP_CFG, "rfc2090Groups", RFC2090.group());
        server.setProperty(MTFTP_CFG, "rfc2090Port", String.valueOf(RFC2090.clientPort()));
        for (MulticastFile file : files) {
            server.writeConfig("org.diskless.mtftp.file-" + file.name() + ".cfg", file.configuration());
        }
        server.shell("feature:install diskless-mtftp");
        Optional<String> listed = poll(APPLY_TIMEOUT, Duration.ofMillis(500), () -> server.shell("mtftp:groups"),
                out -> files.stream().allMatch(f -> out.contains(f.path())));
        assertTrue(listed.isPresent(), () -> "mtftp:groups did not list the three files within "
                + APPLY_TIMEOUT.toSeconds() + " s:\n" + server.shell("mtftp:groups") + "\n" + server.logSince(0));
    }

    private static Storm runStorm() {
        List<MulticastLan.Host> hosts = lan.hosts().subList(0, STORM_CLIENTS);
        Capture capture = Capture.start("storm");
        Sent before = Sent.now();
        long first = System.nanoTime();
        Clients clients = new Clients().start(STORM, hosts, MulticastTftpIT::mget);
        // A client started after the first open would join late and cost a pass of its own.
        String spread = String.format("the ten clients were started within %d ms (each listens %d s before it opens)",
                (System.nanoTime() - first) / 1_000_000, OPEN_TIMEOUT);
        List<Exec.Result> results = awaitAll(clients.running, TRANSFERS_TIMEOUT);
        Sent sent = Sent.whenQuiet().minus(before);
        Exec.Result captureRun = capture.stop();
        log("ten PXE clients: " + sent.describe(BIG) + "; " + spread);
        List<Long> drops = hosts.stream().map(host -> lan.udp(host).receiveBufferErrors()).toList();
        return new Storm(clients.got, results, sent, capture.file(), captureRun, drops,
                diagnostics(hosts, results) + "\n" + sent.describe(BIG) + "\n" + spread);
    }

    // ---------------------------------------------------------------- PXE MTFTP, ten clients at once

    @Test
    void tenPxeClientsAtOnceEachGetTheExactBytes() {
        assertEachGotTheExactBytes(STORM, storm.got(), storm.results(), storm.diagnostics(), -1);
        deleteAll(storm.got());
    }

    /**
     * One copy of the file on the wire is {@value #BIG_BLOCKS} DATA frames, each 512 bytes of the file
     * (none in the last) behind 14 bytes of Ethernet, 20 of IPv4, 8 of UDP and 4 of TFTP header: 1.09 x
     * the file. The veth counts those headers (it has no preamble or FCS). The bound of 1.2 x leaves
     * room for the first block sent to the master alone, answers to the other clients' opens, ARP and
     * a few blocks sent again, not for a second pass: ten unicast transfers would cost 10.9 x. Only
     * a client whose own kernel dropped blocks may cost a pass of its own (see {@link MulticastLan}).
     */
    @Test
    void theTenClientsCostTheServerAtMostOnePointTwoCopiesOnItsVeth() {
        Sent sent = storm.sent();
        assertTrue(sent.frames() >= BIG_BLOCKS, () -> "the server's veth counted fewer frames than one copy of "
                + "the file has blocks: is it the link the transfers left by?" + storm.diagnostics());
        // A client whose own kernel dropped blocks (its receive buffer full while it waited for a
        // cpu) must open again, and a PXE master takes the file from block 1: a pass of its own.
        long clientsThatDropped = storm.receiveBufferDrops().stream().filter(drops -> drops > 0).count();
        double bound = 1.2 * BIG + clientsThatDropped * 1.09 * BIG;
        assertTrue(sent.bytes() <= bound, () -> String.format("more than %.2f x the file for ten clients, %d of which"
                + " dropped blocks in their receive buffers", bound / BIG, clientsThatDropped) + storm.diagnostics());
    }

    @Test
    void tsharkOnTheServersVethDecodesEveryFrameOfTheStormAsTftpWithNothingMalformed() {
        Decoded decoded = Capture.decode(storm.capture(), storm.captureRun(), STORM.clientPort());
        decoded.assertAllTftpNothingMalformed();
        assertTrue(decoded.count(DATA) >= BIG_BLOCKS, () -> "the capture holds fewer DATA frames than the file has "
                + "blocks" + decoded.summary());
        assertTrue(decoded.count(RRQ) >= 1 && decoded.count(ACK) >= BIG_BLOCKS - 1,
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
        List<MulticastLan.Host> hosts = lan.hosts().subList(0, 4);
        Sent before = Sent.now();
        Clients clients = new Clients().start(LATE, hosts.subList(0, 3), MulticastTftpIT::mget);
        awaitServerSent(before, BIG_BLOCKS / 4, clients.running);
        clients.start(LATE, hosts.subList(3, 4), MulticastTftpIT::mget);
        long sentWhenLateStarted = Sent.now().minus(before).frames();

        List<Exec.Result> results = awaitAll(clients.running, TRANSFERS_TIMEOUT);
        Sent sent = Sent.whenQuiet().minus(before);
        log("late client started after " + sentWhenLateStarted + " frames: " + sent.describe(BIG));
        String diagnostics = diagnostics(hosts, results) + "\nthe late client started after the server sent "
                + sentWhenLateStarted + " frames\n" + sent.describe(BIG);
        assertTrue(sentWhenLateStarted < BIG_BLOCKS, () -> "the late client started after the first pass had ended"
                + diagnostics);
        assertEachGotTheExactBytes(LATE, clients.got, results, diagnostics, -1);
        deleteAll(clients.got);
    }

    @Test
    void killingTheMasterMidTransferLetsEveryOtherClientFinish() {
        List<MulticastLan.Host> hosts = lan.hosts().subList(4, 8);
        List<MulticastLan.Udp> udpBefore = hosts.stream().map(lan::udp).toList();
        Sent before = Sent.now();
        Clients clients = new Clients().start(ORPHANED, hosts, MulticastTftpIT::mget);
        awaitServerSent(before, BIG_BLOCKS / 4, clients.running);

        // The master is the one client that ACKs: wire truth from each host's UDP stack, not the server's word.
        List<Long> datagrams = IntStream.range(0, hosts.size())
                .mapToObj(i -> lan.udp(hosts.get(i)).outDatagrams() - udpBefore.get(i).outDatagrams()).toList();
        List<Integer> masters = IntStream.range(0, hosts.size())
                .filter(i -> datagrams.get(i) > MASTER_DATAGRAMS).boxed().toList();
        if (masters.size() != 1) {
            clients.running.forEach(Exec.Running::kill);
            fail("expected exactly one client sending ACKs; UDP datagrams sent per client: " + datagrams);
        }
        int master = masters.get(0);
        Exec.Result killed = clients.running.get(master).kill();
        long sentAtKill = Sent.now().minus(before).frames();

        List<Exec.Running> others = new ArrayList<>(clients.running);
        others.remove(master);
        List<Exec.Result> results = new ArrayList<>(awaitAll(others, TRANSFERS_TIMEOUT));
        results.add(master, killed);
        Sent sent = Sent.whenQuiet().minus(before);
        log("master killed after " + sentAtKill + " frames: " + sent.describe(BIG));
        String diagnostics = diagnostics(hosts, results) + "\nkilled the master " + hosts.get(master).ip()
                + " after the server sent " + sentAtKill + " frames\n" + sent.describe(BIG);
        assertTrue(sentAtKill < BIG_BLOCKS, () -> "the master was done before it was killed" + diagnostics);
        assertEachGotTheExactBytes(ORPHANED, clients.got, results, diagnostics, master);
        deleteAll(clients.got);
    }

    // ---------------------------------------------------------------- RFC 2090

    @Test
    void threeRfc2090ClientsAtOnceAreEachToldTheGroupInAnOackAndGetTheExactBytes() {
        List<MulticastLan.Host> hosts = lan.hosts().subList(8, 11);
        Capture capture = Capture.start("rfc2090");
        Sent before = Sent.now();
        Clients clients = new Clients().start(RFC2090, hosts, MulticastTftpIT::multicastOptionGet);
        List<Exec.Result> results = awaitAll(clients.running, TRANSFERS_TIMEOUT);
        Sent sent = Sent.whenQuiet().minus(before);
        Exec.Result captureRun = capture.stop();
        log("three RFC 2090 clients: " + sent.describe(RFC2090_SIZE));
        String diagnostics = diagnostics(hosts, results) + "\n" + sent.describe(RFC2090_SIZE);
        assertEachGotTheExactBytes(RFC2090, clients.got, results, diagnostics, -1);

        Decoded decoded = Capture.decode(capture.file(), captureRun, RFC2090.clientPort());
        decoded.assertAllTftpNothingMalformed();
        String master = RFC2090.group() + "," + RFC2090.clientPort() + ",1";
        assertTrue(decoded.optionValues("multicast").contains(master),
                () -> "no OACK made a client master with multicast=" + master + decoded.summary());
        // A client whose request is left to unicast still gets its bytes: only the OACK tells it joined.
        List<String> unicast = hosts.stream().map(MulticastLan.Host::ip)
                .filter(ip -> !decoded.oackedWith("multicast").contains(ip)).toList();
        assertEquals(List.of(), unicast, () -> "clients served by unicast, with no OACK naming the group"
                + decoded.summary() + diagnostics);
        deleteAll(clients.got);
    }

    // ---------------------------------------------------------------- helpers

    /** Clients started on hosts, each writing its own copy of a file. */
    private static final class Clients {
        final List<Path> got = new ArrayList<>();
        final List<Exec.Running> running = new ArrayList<>();

        /** Starts {@code command} for {@code file} on each host, in order; returns this. */
        Clients start(MulticastFile file, List<MulticastLan.Host> hosts, BiFunction<MulticastFile, Path, String[]> command) {
            for (MulticastLan.Host host : hosts) {
                Path out = server.clientDir().resolve(unique(file.name() + "-" + host.ip() + "-", ".bin"));
                got.add(out);
                running.add(lan.start(host, command.apply(file, out)));
            }
            return this;
        }
    }

    /** atftp's PXE MTFTP client, given what DHCP would tell a PXE ROM. */
    private static String[] mget(MulticastFile file, Path out) {
        return new String[] {"atftp", "--mget",
                "--mtftp", "client-port " + file.clientPort(),
                "--mtftp", "mcast-ip " + file.group(),
                "--mtftp", "listen-delay " + OPEN_TIMEOUT,
                "--mtftp", "timeout-delay " + REOPEN_DELAY,
                "-r", file.path(), "-l", out.toString(), MulticastLan.SERVER_IP, String.valueOf(SERVER_PORT)};
    }

    /** atftp's RFC 2090 client: an ordinary read request on the TFTP port, with the multicast option. */
    private static String[] multicastOptionGet(MulticastFile file, Path out) {
        return new String[] {"atftp", "--option", "multicast", "-g", "-r", file.path(), "-l", out.toString(),
                MulticastLan.SERVER_IP, String.valueOf(TFTP_PORT)};
    }

    /** Awaits every client within one shared bound; those still running then are killed. */
    private static List<Exec.Result> awaitAll(List<Exec.Running> clients, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        return clients.stream()
                .map(c -> c.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))))
                .toList();
    }

    /** Waits (bounded) until the server has sent {@code frames} frames since {@code before}: a transfer is under way. */
    private static void awaitServerSent(Sent before, long frames, List<Exec.Running> clients) {
        Optional<Long> sent = poll(MID_TRANSFER_TIMEOUT, Duration.ofMillis(20), () -> Sent.now().minus(before).frames(),
                n -> n >= frames || clients.stream().noneMatch(Exec.Running::isAlive));
        if (sent.isEmpty() || sent.get() < frames) {
            List<Exec.Result> results = clients.stream().map(Exec.Running::kill).toList();
            fail("the server did not send " + frames + " frames within " + MID_TRANSFER_TIMEOUT.toSeconds()
                    + " s of the clients' start:\n" + results.stream().map(Exec.Result::describe)
                    .collect(Collectors.joining("\n")));
        }
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

    /** Every client but {@code except} (-1: none) ran cleanly and wrote the file's exact bytes; all are checked. */
    private static void assertEachGotTheExactBytes(MulticastFile file, List<Path> got, List<Exec.Result> results,
                                                   String diagnostics, int except) {
        assertAll("clients of " + file.path() + diagnostics, IntStream.range(0, got.size()).filter(i -> i != except)
                .mapToObj(i -> () -> assertSameBytes(file.content(), got.get(i), results.get(i))));
    }

    /** The number in {@code row} under the header cell {@code header} (case ignored) of a Karaf shell table. */
    private static long column(String table, String row, String header) {
        String head = table.lines().filter(l -> l.toLowerCase().contains(header)).findFirst()
                .orElseGet(() -> fail("no column '" + header + "' in:\n" + table));
        List<String> names = List.of(CELL_SEPARATOR.split(head.strip().toLowerCase()));
        String[] cells = CELL_SEPARATOR.split(row.strip());
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

    /** Reads {@code reading} every {@code interval} until two readings in a row agree (at most {@code bound}); returns the last. */
    private static <T> T steady(Supplier<T> reading, Duration interval, Duration bound) {
        AtomicReference<T> last = new AtomicReference<>();
        poll(bound, interval, () -> {
            T current = reading.get();
            return current.equals(last.getAndSet(current));
        }, Boolean::booleanValue);
        return last.get();
    }

    private static void log(String message) {
        System.out.println("[itests MulticastTftpIT] " + message);
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

        /**
         * Stops the capture once it has caught up: dumpcap writes what the kernel hands it seconds
         * late on a loaded machine, and what it has not read when told to stop is lost.
         */
        Exec.Result stop() {
            steady(() -> Transfers.size(file), Duration.ofSeconds(2), Duration.ofSeconds(30));
            return dumpcap.stop(Duration.ofSeconds(10));
        }

        /** Every frame's protocol stack and TFTP fields, the client and server ports decoded as TFTP. */
        static Decoded decode(Path file, Exec.Result captureRun, int clientPort) {
            Exec.Result r = Exec.run(file.getParent(), CAPTURE_TIMEOUT, List.of("tshark", "-n", "-r", file.toString(),
                    "-d", "udp.port==" + clientPort + ",tftp", "-d", "udp.port==" + SERVER_PORT + ",tftp",
                    // Repeated fields (one per option) joined by ';': the multicast value has commas of its own.
                    "-T", "fields", "-E", "separator=/t", "-E", "aggregator=;", "-e", "frame.number", "-e", "frame.protocols",
                    "-e", "tftp.opcode", "-e", "tftp.option.name", "-e", "tftp.option.value", "-e", "ip.dst"));
            assertTrue(r.ok(), r::describe);
            return new Decoded(r.stdout().lines().map(l -> l.split("\t", -1)).toList(), captureRun);
        }
    }

    /** tshark's fields per frame: number, protocols, TFTP opcode, option names and values, IP destination. */
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

        long count(String opcode) {
            return frames.stream().filter(f -> f[2].equals(opcode)).count();
        }

        /** The values of option {@code name} in every OACK. */
        List<String> optionValues(String name) {
            List<String> values = new ArrayList<>();
            for (String[] f : frames) {
                List<String> names = List.of(f[3].split(";"));
                List<String> vals = List.of(f[4].split(";"));
                int i = names.indexOf(name);
                if (f[2].equals(OACK) && i >= 0 && i < vals.size()) {
                    values.add(vals.get(i));
                }
            }
            return values;
        }

        /** The addresses sent an OACK that carries option {@code name}. */
        Set<String> oackedWith(String name) {
            return frames.stream().filter(f -> f[2].equals(OACK) && List.of(f[3].split(";")).contains(name))
                    .map(f -> f[5]).collect(Collectors.toSet());
        }

        String summary() {
            return String.format("%n%d frames, %d RRQ, %d DATA, %d ACK, %d ERROR, %d OACK; dumpcap: %s",
                    frames.size(), count(RRQ), count(DATA), count(ACK), count(ERROR), count(OACK),
                    captureRun.stderr().strip());
        }
    }
}

package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Diskless servers share one PostgreSQL and lose a member: kill -9 of a server, then of the
 * database, under load, without a lease lost or given twice.
 *
 * <p>One LAN, a bridge in a namespace of its own, joins the two servers (each its own copy of the
 * distribution, with the feature {@code diskless-leases-postgresql} configured and {@code peers}
 * naming the other), the database (its own namespace) and a relay: perfdhcp, 1,000 clients. A relay
 * forwards each request to both servers; perfdhcp sends to one address, so that address is one both
 * servers hold (on their loopback) and the relay reaches it at the Ethernet broadcast address, and
 * each request arrives at both, as from a relay with two helper addresses. tshark captures the bridge.
 *
 * <p>The rate is kept low (see {@link #RATE}): the test is about who answers, not how fast.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DhcpFailoverIT {

    @RegisterExtension
    @Order(1)
    static final DisklessServer first = new DisklessServer("a");

    @RegisterExtension
    @Order(2)
    static final DisklessServer second = new DisklessServer("b");

    private static final String NETWORK = "198.18.64.0/18";
    private static final String FIRST_IP = "198.18.64.1";
    private static final String SECOND_IP = "198.18.64.2";
    private static final String DATABASE_IP = "198.18.64.5";
    private static final String RELAY_IP = "198.18.64.10";
    /** A second relay address on the same host, for a second perfdhcp (each binds port 67 of its address). */
    private static final String SECOND_RELAY_IP = "198.18.64.11";
    /** Held by both servers, outside the subnet so that neither takes it for its server identifier. */
    private static final String SERVERS_IP = "198.18.192.1";
    private static final String PREFIX = "/18";
    private static final String RANGE = "198.18.66.0-198.18.95.255";
    private static final int TAKEOVER_SECONDS = 3;
    /** After takeoverSeconds, for the survivor to notice and for exchanges begun before it to end. */
    private static final double TAKEOVER_GRACE_SECONDS = 2.0;
    /**
     * Exchanges per second, far below what one server sustains: two server JVMs, PostgreSQL, tshark
     * and perfdhcp share a 2-cpu machine with whatever else runs there (CI runs other tests beside),
     * so an exchange that goes unanswered tells about failover, not about a starved cpu.
     */
    private static final int RATE = 100;
    private static final int CLIENTS = 1000;
    /** perfdhcp's clients: MACs counted up from these bases (locally administered). */
    private static final String LOAD_MACS = "0e:01:00:00:00:00";
    private static final String NEW_MACS = "0e:03:00:00:00:00";
    /** The store reconnects with a backoff of at most 5 s and then reloads its cache. */
    private static final int RESUME_SECONDS = 8;
    private static final Duration READY = Duration.ofSeconds(90);
    /** perfdhcp counts an exchange lost after this; long, since a busy machine can delay a commit by seconds. */
    private static final String DROP_TIME = "5";
    /** How long a probe's perfdhcp still listens once it has started its exchanges, so that it sends every REQUEST. */
    private static final String PROBE_EXIT_WAIT_MICROS = "3000000";
    /** How long the relay must receive nothing before the servers count as done answering, and the bound on that wait. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final Duration ANSWERS_DRAIN = Duration.ofSeconds(30);

    private static String bridgeNs;
    private static String relayNs;
    private static PostgresDatabase database;
    /** Every DHCPACK seen on the wire in this class: address to MAC. */
    private static final Map<String, String> ACKED = new HashMap<>();
    /** The same ACKs, MAC to the address it was acknowledged last. */
    private static final Map<String, String> ACKED_TO = new HashMap<>();
    private static int probes;
    /** perfdhcp and tshark runs, killed by their PIDs after the class if a failed test left one running. */
    private static final List<Exec.Running> STARTED = new ArrayList<>();

    @BeforeAll
    static void buildTheLan() {
        for (String tool : List.of("perfdhcp", "tshark", "psql")) {
            Exec.Result which = first.client("sh", "-c", "command -v " + tool);
            if (!which.ok()) {
                fail(tool + " is needed (apt-get install kea-admin tshark postgresql):\n" + which.describe());
            }
        }
        bridgeNs = first.addNamespace("habridge");
        run("make the bridge", "ip", "-n", bridgeNs, "link", "add", "br0", "type", "bridge", "forward_delay", "0");
        run("bridge up", "ip", "-n", bridgeNs, "link", "set", "br0", "up");
        plugServer(first, FIRST_IP, "srva");
        plugServer(second, SECOND_IP, "srvb");

        String databaseNs = first.addNamespace("hadb");
        plug(databaseNs, DATABASE_IP, "db");
        relayNs = first.addNamespace("harelay");
        plug(relayNs, RELAY_IP, "relay");
        run("second relay address", "ip", "-n", relayNs, "addr", "add", SECOND_RELAY_IP + PREFIX, "dev", "eth0");
        run("route to the servers", "ip", "-n", relayNs, "route", "add", SERVERS_IP, "dev", "eth0");
        run("reach the servers by broadcast", "ip", "-n", relayNs, "neigh", "add", SERVERS_IP,
                "lladdr", "ff:ff:ff:ff:ff:ff", "dev", "eth0", "nud", "permanent");

        database = PostgresDatabase.start(databaseNs, DATABASE_IP, NETWORK,
                first.home().getParent().getParent().resolveSibling("DhcpFailoverIT-postgresql"));
        configure(first, SECOND_IP);
        configure(second, FIRST_IP);
        for (DisklessServer server : List.of(first, second)) {
            Optional<String> status = poll(READY, Duration.ofMillis(500),
                    () -> server.shellResult("leases:postgresql", Duration.ofSeconds(30)).stdout(),
                    out -> out.contains("Reachable:          yes"));
            assertTrue(status.isPresent(), () -> "the PostgreSQL store never reached the database:\n"
                    + server.shellResult("leases:postgresql", Duration.ofSeconds(30)).describe());
            Optional<String> pools = poll(READY, Duration.ofMillis(500), () -> server.shell("dhcp:pools"),
                    out -> out.contains(NETWORK.substring(0, NETWORK.indexOf('/'))));
            assertTrue(pools.isPresent(), () -> "the subnet never appeared:\n" + server.shell("dhcp:pools"));
        }
        // The DHCP server moves onto the store once it is published: wait until leases land in the database.
        Optional<Integer> stored = poll(READY, Duration.ofSeconds(1), () -> {
            probe("0e:00:00:00:00:00", 20);
            return Integer.parseInt(database.query("SELECT count(*) FROM lease").get(0));
        }, n -> n > 0);
        assertTrue(stored.isPresent(), "no lease reached the database: the servers do not use the PostgreSQL store");
    }

    @AfterAll
    static void stopWhatWasStarted() {
        for (Exec.Running running : STARTED) {
            if (running.isAlive()) {
                log("killed what a test left running: %s", running.kill().describe());
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    void theSurvivorAnswersEveryClientAfterAServerIsKilled() throws Exception {
        Capture capture = Capture.start("failover");
        long started = System.nanoTime();
        Exec.Running load = perfdhcp(RELAY_IP, LOAD_MACS, CLIENTS, RATE, 24);
        Thread.sleep(8_000);
        long pid = first.karafPid();
        first.killHard();
        double killed = epochSeconds();
        log("killed server a (bin/karaf pid %d and its JVM) with SIGKILL at %.1f s", pid,
                (System.nanoTime() - started) / 1e9);
        Exec.Result perf = load.await(Duration.ofSeconds(60));
        log("perfdhcp, %d clients at %d/s, server a killed mid-run:%n%s", CLIENTS, RATE, perf.stdout());
        List<Frame> frames = capture.stop();

        Map<String, String> acked = acks(frames, "failover");
        Map<String, Long> ackedBeforeKillBy = frames.stream()
                .filter(f -> f.type() == Frame.ACK && f.time() < killed)
                .collect(Collectors.groupingBy(Frame::serverId, Collectors.counting()));
        assertTrue(ackedBeforeKillBy.getOrDefault(FIRST_IP, 0L) > 0 && ackedBeforeKillBy.getOrDefault(SECOND_IP, 0L) > 0,
                () -> "both servers should have acknowledged clients before the kill: " + ackedBeforeKillBy);

        double takenOver = killed + TAKEOVER_SECONDS + TAKEOVER_GRACE_SECONDS;
        Answered offers = answered(frames, Frame.DISCOVER, Frame.OFFER, takenOver);
        Answered acks = answered(frames, Frame.REQUEST, Frame.ACK, takenOver);
        long lateAnswersFromTheDead = frames.stream()
                .filter(f -> f.time() >= killed + 0.5 && f.type() != Frame.DISCOVER && f.type() != Frame.REQUEST)
                .filter(f -> FIRST_IP.equals(f.serverId()))
                .count();
        log("ACKs seen: %d (%d addresses, %d clients); before the kill by server: %s; "
                        + "after the kill + %d s + %.0f s: DISCOVERs %d, offered %d; REQUESTs %d, acknowledged %d; "
                        + "DISCOVERs with two offers while both ran: %d",
                frames.stream().filter(f -> f.type() == Frame.ACK).count(), acked.size(),
                new HashSet<>(acked.values()).size(), ackedBeforeKillBy, TAKEOVER_SECONDS, TAKEOVER_GRACE_SECONDS,
                offers.asked(), offers.answered(), acks.asked(), acks.answered(), doublyOffered(frames, killed));
        log("DISCOVER to OFFER: %s; REQUEST to ACK: %s", delays(frames, Frame.DISCOVER, Frame.OFFER),
                delays(frames, Frame.REQUEST, Frame.ACK));
        assertEquals(0, lateAnswersFromTheDead, "the killed server cannot answer");
        assertTrue(offers.asked() >= RATE, () -> "too few DISCOVERs after the takeover to prove anything: " + offers);
        assertTrue(offers.unanswered().isEmpty(), () -> offers.unanswered().size() + " of " + offers.asked()
                + " DISCOVERs sent more than " + TAKEOVER_SECONDS + " s after the kill got no OFFER, xids e.g. "
                + sample(offers.unanswered()) + "\n" + second.shell("dhcp:stats"));
        assertTrue(acks.unanswered().isEmpty(), () -> acks.unanswered().size() + " of " + acks.asked()
                + " REQUESTs sent more than " + TAKEOVER_SECONDS + " s after the kill got no ACK, xids e.g. "
                + sample(acks.unanswered()) + "\n" + second.shell("dhcp:stats"));
        assertEveryAckIsInTheDatabase();
        assertClientsKeepTheirAddresses(frames, "failover");
    }

    @Test
    @Order(2)
    void aDatabaseKilledForTenSecondsGivesNoDuplicateAndServiceResumes() throws Exception {
        Capture capture = Capture.start("database");
        long started = System.nanoTime();
        // The thousand clients that hold leases renew them through one relay; new clients come through another.
        Exec.Running renewing = perfdhcp(RELAY_IP, LOAD_MACS, CLIENTS, RATE / 2, 32);
        Exec.Running arriving = perfdhcp(SECOND_RELAY_IP, NEW_MACS, 4 * CLIENTS, RATE / 2, 32);
        Thread.sleep(4_000);
        long pid = database.postmasterPid();
        database.kill();
        double down = epochSeconds();
        log("killed PostgreSQL (postmaster pid %d) with SIGKILL at %.1f s", pid, (System.nanoTime() - started) / 1e9);
        Thread.sleep(10_000);
        double restarting = epochSeconds();
        database.startAgain();
        double up = epochSeconds();
        log("PostgreSQL restarted on the same data directory at %.1f s (crash recovery took %.1f s)",
                (System.nanoTime() - started) / 1e9, up - restarting);
        Exec.Result renewed = renewing.await(Duration.ofSeconds(60));
        Exec.Result arrived = arriving.await(Duration.ofSeconds(60));
        log("perfdhcp, the %d clients with leases at %d/s, PostgreSQL killed for 10 s mid-run:%n%s", CLIENTS, RATE / 2,
                renewed.stdout());
        log("perfdhcp, new clients at %d/s, PostgreSQL killed for 10 s mid-run:%n%s", RATE / 2, arrived.stdout());
        List<Frame> frames = capture.stop();

        acks(frames, "database outage");
        Predicate<Frame> newClient = f -> f.mac().startsWith(NEW_MACS.substring(0, 6));
        List<Frame> ackedWhileDown = frames.stream()
                .filter(f -> f.type() == Frame.ACK && f.time() > down + 0.5 && f.time() < restarting)
                .toList();
        long newAckedWhileDown = ackedWhileDown.stream().filter(newClient).count();
        Optional<Frame> firstNewAfter = frames.stream()
                .filter(f -> f.type() == Frame.ACK && f.time() >= restarting && newClient.test(f))
                .findFirst();
        double resumed = up + RESUME_SECONDS;
        Answered afterwards = answered(frames.stream().filter(f -> f.type() != Frame.REQUEST || newClient.test(f))
                .toList(), Frame.REQUEST, Frame.ACK, resumed);
        String status = second.shell("leases:postgresql");
        log("DISCOVER to OFFER: %s; REQUEST to ACK: %s", delays(frames, Frame.DISCOVER, Frame.OFFER),
                delays(frames, Frame.REQUEST, Frame.ACK));
        log("ACKs while the database was down: %d renewals, %d to new clients; first ACK to a new client %s after"
                        + " the restart began; new clients' REQUESTs from %d s after it was up: %d, acknowledged %d%n%s",
                ackedWhileDown.size() - newAckedWhileDown, newAckedWhileDown,
                firstNewAfter.map(f -> String.format(Locale.ROOT, "%.1f s", f.time() - restarting)).orElse("never"),
                RESUME_SECONDS, afterwards.asked(), afterwards.answered(), status);
        assertEquals(0, newAckedWhileDown, "no new lease can be acknowledged while the database is down, "
                + "since none can be committed");
        assertTrue(ackedWhileDown.size() > 0, "clients holding leases should be renewed while the database is down");
        assertTrue(afterwards.asked() > 0 && afterwards.unanswered().isEmpty(), () -> afterwards.unanswered().size()
                + " of " + afterwards.asked() + " new clients' REQUESTs sent more than " + RESUME_SECONDS
                + " s after the database was back got no ACK, xids e.g. " + sample(afterwards.unanswered()) + "\n"
                + status + second.shell("dhcp:stats"));

        // New clients once the load is over: every exchange completes.
        Optional<Integer> complete = poll(Duration.ofSeconds(30), Duration.ofSeconds(1),
                () -> probe(String.format(Locale.ROOT, "0e:02:%02x:00:00:00", ++probes), 20), n -> n == 20);
        assertTrue(complete.isPresent(), () -> "new clients do not get leases since the database came back:\n"
                + second.shell("leases:postgresql") + second.shell("dhcp:stats"));
        assertEveryAckIsInTheDatabase();
        assertClientsKeepTheirAddresses(frames, "database outage");
    }

    // ------------------------------------------------------------------ checks

    /** Adds the capture's ACKs to {@link #ACKED}, failing on an address acknowledged to two clients. */
    private static Map<String, String> acks(List<Frame> frames, String phase) {
        Map<String, String> these = new HashMap<>();
        for (Frame f : frames) {
            if (f.type() != Frame.ACK) {
                continue;
            }
            String before = ACKED.putIfAbsent(f.address(), f.mac());
            assertTrue(before == null || before.equals(f.mac()), () -> f.address() + " was acknowledged to " + before
                    + " and to " + f.mac() + " (" + phase + ")");
            these.put(f.address(), f.mac());
        }
        assertTrue(!these.isEmpty(), "no DHCPACK on the wire during the " + phase);
        return these;
    }

    /**
     * Fails unless every client acknowledged in {@code frames} kept the address it was acknowledged
     * before: a lease outlives a server's death and a database outage, so its client keeps its
     * address (a second one is a second lease, the first held for nothing). Each move is named once,
     * in the phase it happened.
     */
    private static void assertClientsKeepTheirAddresses(List<Frame> frames, String phase) {
        Map<String, String> moved = new java.util.TreeMap<>();
        for (Frame f : frames) {
            if (f.type() != Frame.ACK) {
                continue;
            }
            String before = ACKED_TO.put(f.mac(), f.address());
            if (before != null && !before.equals(f.address())) {
                moved.putIfAbsent(f.mac(), before + " then " + f.address() + " from " + f.serverId());
            }
        }
        assertTrue(moved.isEmpty(), () -> moved.size() + " clients were acknowledged a second address during the "
                + phase + ", e.g. " + sample(moved.entrySet()));
    }

    /** Every ACK seen so far is a bound lease in the database, with its MAC; no address is held by two MACs. */
    private static void assertEveryAckIsInTheDatabase() {
        Map<String, String> rows = new HashMap<>();
        for (String row : database.query("SELECT host(address), encode(hw_address, 'hex'), state FROM lease")) {
            String[] f = row.split("\\|");
            rows.put(f[0], f[1] + " " + f[2]);
        }
        List<String> missing = new ArrayList<>();
        ACKED.forEach((address, mac) -> {
            String expected = mac.replace(":", "") + " BOUND";
            if (!expected.equals(rows.get(address))) {
                missing.add(address + " acknowledged to " + mac + ", in the database: " + rows.get(address));
            }
        });
        List<String> twice = database.query("SELECT host(address) FROM lease WHERE state = 'BOUND'"
                + " GROUP BY address HAVING count(DISTINCT hw_address) > 1");
        List<String> clientsWithTwo = database.query("SELECT encode(hw_address, 'hex') FROM lease"
                + " WHERE state = 'BOUND' AND expires > now() GROUP BY hw_address HAVING count(*) > 1");
        log("database: %d rows, %d addresses acknowledged on the wire, %d of them missing or different; "
                + "clients holding two bound addresses: %d", rows.size(), ACKED.size(), missing.size(), clientsWithTwo.size());
        assertTrue(missing.isEmpty(), () -> missing.size() + " of " + ACKED.size()
                + " acknowledged leases are not in the database as acknowledged, e.g. " + sample(missing));
        assertEquals(List.of(), twice, "addresses held by two MACs");
    }

    /** The {@code ask} messages sent at or after {@code from} (by xid) and which of them got an {@code answer}. */
    private static Answered answered(List<Frame> frames, int ask, int answer, double from) {
        Set<String> asked = frames.stream().filter(f -> f.type() == ask && f.time() >= from)
                .map(Frame::xid).collect(Collectors.toSet());
        Set<String> answers = frames.stream().filter(f -> f.type() == answer).map(Frame::xid).collect(Collectors.toSet());
        Set<String> unanswered = new HashSet<>(asked);
        unanswered.removeAll(answers);
        return new Answered(asked.size(), asked.size() - unanswered.size(), unanswered);
    }

    record Answered(int asked, int answered, Set<String> unanswered) {
    }

    /** DISCOVERs answered by both servers before {@code until}: with load balancing, none. */
    private static long doublyOffered(List<Frame> frames, double until) {
        return frames.stream().filter(f -> f.type() == Frame.OFFER && f.time() < until)
                .collect(Collectors.groupingBy(Frame::xid, Collectors.mapping(Frame::serverId, Collectors.toSet())))
                .values().stream().filter(servers -> servers.size() > 1).count();
    }

    // ------------------------------------------------------------------ the LAN and its parts

    private static void plugServer(DisklessServer server, String ip, String port) {
        inServer(server, "plug the server in", "ip", "link", "add", "lan0", "type", "veth", "peer", "name", port,
                "netns", bridgeNs);
        inServer(server, "address the server", "ip", "addr", "add", ip + PREFIX, "dev", "lan0");
        inServer(server, "server link up", "ip", "link", "set", "lan0", "up");
        inServer(server, "the servers' shared address", "ip", "addr", "add", SERVERS_IP + "/32", "dev", "lo");
        run("port " + port + " into the bridge", "ip", "-n", bridgeNs, "link", "set", port, "master", "br0", "up");
    }

    private static void plug(String ns, String ip, String port) {
        run("plug " + ns + " in", "ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port,
                "netns", bridgeNs);
        run("address " + ns, "ip", "-n", ns, "addr", "add", ip + PREFIX, "dev", "eth0");
        run("link up in " + ns, "ip", "-n", ns, "link", "set", "eth0", "up");
        run("loopback up in " + ns, "ip", "-n", ns, "link", "set", "lo", "up");
        run("port " + port + " into the bridge", "ip", "-n", bridgeNs, "link", "set", port, "master", "br0", "up");
    }

    /** The lease store on the shared database, the LAN's subnet, and the other server as peer. */
    private static void configure(DisklessServer server, String peer) {
        Exec.Result install = server.shellResult("feature:install diskless-leases-postgresql", Duration.ofSeconds(120));
        assertTrue(install.ok(), install::describe);
        try {
            Path password = server.etc().resolve("lease-database.password");
            Files.writeString(password, database.password() + "\n");
            Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.writeConfig("org.diskless.leases.postgresql.cfg", String.join("\n",
                "url = \"" + database.jdbcUrl() + "\"",
                "user = \"" + PostgresDatabase.USER + "\"",
                "passwordFile = \"etc/lease-database.password\"", ""));
        server.writeConfig("org.diskless.dhcp.subnet-lan.cfg", String.join("\n",
                "network = \"" + NETWORK + "\"",
                "range = \"" + RANGE + "\"",
                "unknownClients = \"allow\"",
                "leaseTime = \"3600\"", ""));
        server.setProperty("org.diskless.dhcp.cfg", "peers", "\"" + peer + "\"");
        server.setProperty("org.diskless.dhcp.cfg", "peers.takeoverSeconds", "\"" + TAKEOVER_SECONDS + "\"");
    }

    /** perfdhcp as the relay {@code relay}, {@code clients} MACs counted from {@code base}, at {@code rate} for {@code seconds}. */
    private static Exec.Running perfdhcp(String relay, String base, int clients, int rate, int seconds) {
        return background(relayNs, "perfdhcp", "-4", "-l", relay, "-r", Integer.toString(rate),
                "-R", Integer.toString(clients), "-b", "mac=" + base, "-p", Integer.toString(seconds), "-d", DROP_TIME,
                SERVERS_IP);
    }

    /**
     * A short perfdhcp run of {@code exchanges} new clients counted from {@code base} (which differs
     * from every other run in its first three bytes); returns how many of them the database holds as bound.
     */
    private static int probe(String base, int exchanges) {
        Exec.Result r = Exec.start(first.clientDir(), Map.of(), List.of("ip", "netns", "exec", relayNs,
                "perfdhcp", "-4", "-l", RELAY_IP, "-r", "20", "-R", Integer.toString(exchanges), "-b", "mac=" + base,
                "-d", DROP_TIME, "-n", Integer.toString(exchanges), "-W", PROBE_EXIT_WAIT_MICROS, SERVERS_IP))
                .await(Duration.ofSeconds(30));
        assertTrue(!r.timedOut(), r::describe);
        String prefix = base.replace(":", "").substring(0, 6);
        return Integer.parseInt(database.query("SELECT count(*) FROM lease WHERE state = 'BOUND'"
                + " AND encode(hw_address, 'hex') LIKE '" + prefix + "%'").get(0));
    }

    /** tshark on the bridge, writing every DHCP frame to a file until {@link #stop()}. */
    private record Capture(Path file, Exec.Running tshark) {

        static Capture start(String name) throws InterruptedException {
            Path file = first.clientDir().resolve("lan-" + name + ".pcap");
            Exec.Running tshark = background(bridgeNs, "tshark", "-q", "-i", "br0", "-f", "udp port 67",
                    "-w", file.toString());
            Optional<Boolean> capturing = poll(Duration.ofSeconds(20), Duration.ofMillis(100),
                    () -> Files.exists(file) || !tshark.isAlive(), done -> done);
            assertTrue(capturing.isPresent() && tshark.isAlive(), () -> "tshark did not start capturing: "
                    + tshark.kill().describe());
            Thread.sleep(500);
            return new Capture(file, tshark);
        }

        /**
         * Stops the capture once the servers have sent their last answers (a lease waits for its commit,
         * which a busy machine can make take seconds): when the relay has received nothing for a while.
         * Returns the capture's DHCP frames in order.
         */
        List<Frame> stop() {
            long[] last = {-1};
            long[] quietSince = {System.nanoTime()};
            Optional<Long> quiet = poll(ANSWERS_DRAIN, Duration.ofMillis(250), () -> {
                long received = relayReceived();
                if (received != last[0]) {
                    last[0] = received;
                    quietSince[0] = System.nanoTime();
                }
                return System.nanoTime() - quietSince[0];
            }, idle -> idle >= QUIET.toNanos());
            if (quiet.isEmpty()) {
                log("the servers still answered %d s after the load ended; stopping the capture anyway",
                        ANSWERS_DRAIN.toSeconds());
            }
            tshark.stop(Duration.ofSeconds(15));
            Exec.Result fields = Exec.run(first.clientDir(), Duration.ofSeconds(90), List.of("tshark", "-r",
                    file.toString(), "-Y", "dhcp", "-T", "fields", "-E", "separator=,", "-E", "occurrence=f",
                    "-e", "frame.time_epoch", "-e", "dhcp.option.dhcp", "-e", "dhcp.id", "-e", "dhcp.hw.mac_addr",
                    "-e", "dhcp.ip.your", "-e", "dhcp.option.dhcp_server_id"));
            assertTrue(fields.ok(), fields::describe);
            List<Frame> frames = fields.stdout().lines().map(Frame::parse).flatMap(Optional::stream).toList();
            assertTrue(!frames.isEmpty(), "the capture " + file + " holds no DHCP frame");
            return frames;
        }
    }

    /** One DHCP message on the wire: its type (option 53), transaction id, chaddr, yiaddr, server id (option 54). */
    private record Frame(double time, int type, String xid, String mac, String address, String serverId) {
        static final int DISCOVER = 1;
        static final int OFFER = 2;
        static final int REQUEST = 3;
        static final int ACK = 5;

        static Optional<Frame> parse(String line) {
            String[] f = line.split(",", -1);
            if (f.length < 6 || f[1].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Frame(Double.parseDouble(f[0]), Integer.parseInt(f[1]), f[2], f[3], f[4], f[5]));
        }
    }

    // ------------------------------------------------------------------ small helpers

    /** Frames the relay has received: the servers' answers. */
    private static long relayReceived() {
        Exec.Result r = Exec.run(Path.of("/"), Duration.ofSeconds(10), List.of("ip", "netns", "exec", relayNs,
                "cat", "/sys/class/net/eth0/statistics/rx_packets"));
        assertTrue(r.ok(), r::describe);
        return Long.parseLong(r.stdout().trim());
    }

    /** Seconds from each {@code ask} to the {@code answer} with its xid: median, 99th percentile and largest. */
    private static String delays(List<Frame> frames, int ask, int answer) {
        Map<String, Double> asked = new HashMap<>();
        frames.stream().filter(f -> f.type() == ask).forEach(f -> asked.putIfAbsent(f.xid(), f.time()));
        double[] d = frames.stream().filter(f -> f.type() == answer && asked.containsKey(f.xid()))
                .mapToDouble(f -> f.time() - asked.get(f.xid())).sorted().toArray();
        if (d.length == 0) {
            return "none answered";
        }
        return String.format(Locale.ROOT, "p50 %.3f s, p99 %.3f s, max %.3f s (%d answered)", d[d.length / 2],
                d[Math.min(d.length - 1, (int) (d.length * 0.99))], d[d.length - 1], d.length);
    }

    /** Starts a command in {@code namespace}, to be awaited with a bound (or killed after the class). */
    private static Exec.Running background(String namespace, String... argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(List.of(argv));
        Exec.Running running = Exec.start(first.clientDir(), Map.of(), command);
        STARTED.add(running);
        return running;
    }

    private static double epochSeconds() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static <T> List<T> sample(java.util.Collection<T> all) {
        return all.stream().limit(5).toList();
    }

    private static void inServer(DisklessServer server, String what, String... argv) {
        Exec.Result r = server.inServerNs(Duration.ofSeconds(30), argv);
        assertTrue(r.ok(), () -> "cannot " + what + ":\n" + r.describe());
    }

    private static void run(String what, String... argv) {
        Exec.Result r = Exec.run(Path.of("/"), Duration.ofSeconds(30), List.of(argv));
        assertTrue(r.ok(), () -> "cannot " + what + ":\n" + r.describe());
    }

    private static void log(String format, Object... args) {
        System.out.printf("[itests DhcpFailoverIT] %s%n", String.format(Locale.ROOT, format, args));
    }
}

package org.diskless.itests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real PostgreSQL 15 (the Debian package) in a network namespace of the test's own, for Diskless
 * servers in other namespaces to share: a throwaway cluster, password-protected (scram), listening
 * on one address of that namespace only, run as {@code nobody} since PostgreSQL refuses root.
 *
 * <p>Its processes are the only ones in its namespace, so what {@link #kill()} and {@link #close()}
 * end is found there: the postmaster by the PID it wrote, its backends by {@code ip netns pids}.
 */
final class PostgresDatabase implements AutoCloseable {

    static final String USER = "diskless";
    static final int PORT = 5432;
    private static final Path BIN = Path.of(System.getProperty("postgresql.bin", "/usr/lib/postgresql/15/bin"));
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);

    private final String namespace;
    private final String address;
    private final Path directory;
    private final boolean temporary;
    private final String password = UUID.randomUUID().toString();

    private PostgresDatabase(String namespace, String address, Path directory, boolean temporary) {
        this.namespace = namespace;
        this.address = address;
        this.directory = directory;
        this.temporary = temporary;
    }

    /**
     * Creates a cluster in {@code preferred} (or in a directory under /tmp when {@code nobody} cannot
     * reach it, as in a checkout under /root), lets the LAN {@code network} log in with the password,
     * and starts it in {@code namespace} on {@code address}.
     */
    static PostgresDatabase start(String namespace, String address, String network, Path preferred) {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            fail("PostgreSQL 15 is needed at " + BIN + " (apt-get install postgresql)");
        }
        try {
            DisklessServer.wipe(preferred);
            Files.createDirectories(preferred);
            boolean reachable = run(COMMAND_TIMEOUT, "runuser", "-u", "nobody", "--", "test", "-x",
                    preferred.getParent().toString()).ok();
            Path directory = reachable ? preferred : Files.createTempDirectory("dlit-postgresql-");
            PostgresDatabase db = new PostgresDatabase(namespace, address, directory, !reachable);
            Files.writeString(db.passwordFile(), db.password + "\n");
            check(run(COMMAND_TIMEOUT, "chown", "-R", "nobody", directory.toString()), "give " + directory + " to nobody");
            check(db.asNobody("initdb", "-D", db.data().toString(), "-U", USER, "--pwfile=" + db.passwordFile(),
                    "-A", "scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C"), "initdb");
            Files.writeString(db.data().resolve("pg_hba.conf"),
                    "host all " + USER + " " + network + " scram-sha-256\n", StandardCharsets.US_ASCII,
                    java.nio.file.StandardOpenOption.APPEND);
            try {
                db.startAgain();
            } catch (AssertionError | RuntimeException e) {
                db.close();   // a postmaster pg_ctl gave up waiting for is still ours to end
                throw e;
            }
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDBC URL the Diskless servers are given. */
    String jdbcUrl() {
        return "jdbc:postgresql://" + address + ":" + PORT + "/postgres";
    }

    String password() {
        return password;
    }

    /** Starts the cluster on its data directory (again, after {@link #kill()}: crash recovery replays its WAL). */
    void startAgain() {
        check(asNobody("pg_ctl", "-D", data().toString(), "-w", "-t", "60", "-l", directory.resolve("server.log").toString(),
                "-o", "-p " + PORT + " -c listen_addresses=" + address + " -c unix_socket_directories=", "start"),
                "start PostgreSQL");
    }

    /** The postmaster's PID, from the lock file it wrote. */
    long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGKILL to the postmaster, as the OOM killer or a power cut would: no checkpoint, connections
     * cut without a goodbye. Returns once every process of the database has exited (the backends
     * follow their postmaster; one that does not within the bound is killed too).
     */
    void kill() {
        long pid = postmasterPid();
        check(run(COMMAND_TIMEOUT, "kill", "-KILL", Long.toString(pid)), "kill -9 the postmaster " + pid);
        awaitNoProcesses();
    }

    /**
     * Runs SQL with psql from inside the database's namespace and returns its rows, fields separated
     * by '|'. Fails the test when psql fails.
     */
    List<String> query(String sql) {
        Exec.Result r = Exec.start(directory, Map.of("PGPASSWORD", password), List.of("ip", "netns", "exec", namespace,
                "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", address, "-p", Integer.toString(PORT),
                "-U", USER, "-d", "postgres", "-c", sql)).await(COMMAND_TIMEOUT);
        check(r, "run psql -c \"" + sql + "\"");
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /** Stops the database (immediately: nothing of it is kept) and deletes a directory it made under /tmp. */
    @Override
    public void close() {
        if (Files.exists(data().resolve("postmaster.pid"))) {
            Exec.Result stop = asNobody("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "-t", "30", "stop");
            if (!stop.ok()) {
                System.out.println("[itests PostgresDatabase] pg_ctl stop failed, killing: " + stop.describe());
                kill();
            }
        }
        awaitNoProcesses();
        if (temporary) {
            run(COMMAND_TIMEOUT, "rm", "-rf", "--one-file-system", directory.toString());
        }
    }

    /** Bounded wait until the namespace holds no process; what is left at the bound is killed (ours: only PostgreSQL runs there). */
    private void awaitNoProcesses() {
        long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
        List<String> pids = pids();
        while (!pids.isEmpty() && System.nanoTime() < deadline) {
            sleep(100);
            pids = pids();
        }
        if (!pids.isEmpty()) {
            List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
            kill.addAll(pids);
            run(COMMAND_TIMEOUT, kill.toArray(String[]::new));
            sleep(500);
            if (!pids().isEmpty()) {
                fail("PostgreSQL processes " + pids() + " in " + namespace + " did not exit");
            }
        }
    }

    private List<String> pids() {
        Exec.Result r = check(run(COMMAND_TIMEOUT, "ip", "netns", "pids", namespace), "list the processes of " + namespace);
        return Arrays.stream(r.stdout().split("\\s+")).filter(s -> !s.isBlank()).toList();
    }

    private Path data() {
        return directory.resolve("data");
    }

    private Path passwordFile() {
        return directory.resolve("password");
    }

    private Exec.Result asNobody(String program, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "runuser", "-u", "nobody", "--",
                BIN.resolve(program).toString()));
        command.addAll(List.of(args));
        return Exec.run(directory, COMMAND_TIMEOUT, command);
    }

    private static Exec.Result run(Duration timeout, String... command) {
        return Exec.run(Path.of("/"), timeout, List.of(command));
    }

    private static Exec.Result check(Exec.Result result, String what) {
        if (!result.ok()) {
            fail("cannot " + what + ":\n" + result.describe());
        }
        return result;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.diskless.leases.postgresql.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL for the tests, from the Debian package: a throwaway cluster under target/,
 * on loopback at a free port (no Unix socket), password-protected (scram), stopped by {@link #close()}. Run as
 * root, it runs the server as {@code nobody}, since PostgreSQL refuses to run as root.
 */
final class PostgresServer implements AutoCloseable {

    static final Path BIN = Path.of(System.getProperty("postgresql.bin", "/usr/lib/postgresql/15/bin"));
    static final String USER = "diskless";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final Path data;
    private final String password = UUID.randomUUID().toString();
    private final int port;
    private final boolean asNobody;
    private int schemas;

    private PostgresServer(Path directory) throws IOException {
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = freePort();
        this.asNobody = "root".equals(System.getProperty("user.name"));
    }

    static PostgresServer start() throws IOException, InterruptedException {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL is not installed at " + BIN + ": apt-get install postgresql"
                    + " (or point -Dpostgresql.bin at its bin directory)");
        }
        Path directory = Path.of("target", "postgresql-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(directory);
        boolean asNobody = "root".equals(System.getProperty("user.name"));
        if (asNobody && !reachableByNobody(directory)) {
            // A checkout under /root (CI's may be) is closed to nobody: use a throwaway directory in /tmp.
            Files.delete(directory);
            directory = Files.createTempDirectory("diskless-postgresql-");
        }
        PostgresServer server = new PostgresServer(directory);
        Files.writeString(server.passwordFile(), server.password + "\n");
        if (server.asNobody) {
            run(List.of("chown", "-R", "nobody", directory.toString()));
        }
        server.pg(BIN.resolve("initdb").toString(), "-D", server.data.toString(), "-U", USER,
                "--pwfile=" + server.passwordFile(), "-A", "scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C");
        server.startAgain();
        return server;
    }

    Path passwordFile() {
        return directory.resolve("password");
    }

    String password() {
        return password;
    }

    int port() {
        return port;
    }

    /** The database {@code postgres}, with {@code schema} first on the search path. */
    String url(String schema) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?currentSchema=" + schema;
    }

    /**
     * A fresh schema for one test, so tests share the server but not their rows (a schema, not a
     * database: CREATE DATABASE copies and syncs a template, seconds on a busy disk).
     */
    String createSchema() throws SQLException {
        String name = "leases_" + (++schemas);
        try (Connection connection = connect("public"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        }
        return name;
    }

    Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(url(schema), USER, password);
    }

    void startAgain() throws IOException, InterruptedException {
        pg(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "30", "-l",
                directory.resolve("server.log").toString(), "-o",
                // TCP on loopback only: a socket path under target/ can exceed the 107 bytes Unix allows.
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=", "start");
    }

    /** Kills the server as a crash would: no checkpoint, connections cut. */
    void crash() throws IOException, InterruptedException {
        pg(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }

    /** Stops the server and deletes its directory when it is not under target/ (which a clean removes). */
    @Override
    public void close() throws IOException, InterruptedException {
        pg(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
        if (!directory.startsWith(Path.of("target").toAbsolutePath())) {
            run(List.of("rm", "-rf", "--one-file-system", directory.toString()));
        }
    }

    private static boolean reachableByNobody(Path directory) throws InterruptedException {
        try {
            run(List.of("runuser", "-u", "nobody", "--", "test", "-x", directory.getParent().toString()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void pg(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (asNobody) {
            line.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        line.addAll(List.of(command));
        run(line);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("pg", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Settings for a store in {@code schema}. */
    PostgresqlSettings settings(String schema) {
        return new PostgresqlSettings(url(schema), USER,
                Optional.of(new PostgresqlSettings.Password(password)), 4, Duration.ofSeconds(2), Duration.ofHours(168));
    }
}

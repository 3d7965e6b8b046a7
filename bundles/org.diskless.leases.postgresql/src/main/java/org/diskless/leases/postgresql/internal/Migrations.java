package org.diskless.leases.postgresql.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and upgrades the schema with plain versioned SQL files (migrations/V&lt;n&gt;__*.sql),
 * all pending ones in one transaction, recorded in {@code schema_version}. A server that finds the
 * schema newer than it knows refuses to write to it rather than guess.
 *
 * <p>Not Flyway or Liquibase: both find migrations and their database support by scanning the
 * class path and through {@code ServiceLoader}, which in OSGi needs a bundle's class loader handed
 * over or an SPI mediator installed; the whole need here is a few files applied once, in order,
 * under a lock.
 */
final class Migrations {

    /** In order; a release adds a file at the end and never edits one already shipped. */
    static final List<String> FILES = List.of("V1__leases.sql");

    /** Any fixed number: servers starting together take it in turn, the second finds the work done. */
    private static final long LOCK_KEY = 0x4469736b6c657373L; // "Diskless"

    private Migrations() {
    }

    static int latest() {
        return FILES.size();
    }

    /** Brings the schema to {@link #latest()}; returns how many migrations it applied. */
    static int apply(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY,"
                    + " applied timestamptz NOT NULL DEFAULT now(), description text NOT NULL)");
            int current;
            try (ResultSet row = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                row.next();
                current = row.getInt(1);
            }
            if (current > latest()) {
                throw new SQLException("the lease schema is at version " + current + ", newer than this release"
                        + " knows (" + latest() + "): a newer Diskless upgraded the database; upgrade this server too");
            }
            for (int version = current + 1; version <= latest(); version++) {
                String file = FILES.get(version - 1);
                statement.execute(read(file));
                statement.execute("INSERT INTO schema_version (version, description) VALUES (" + version + ", '"
                        + file + "')");
            }
            connection.commit();
            return latest() - current;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static String read(String file) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + file)) {
            if (in == null) {
                throw new IllegalStateException("migration " + file + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

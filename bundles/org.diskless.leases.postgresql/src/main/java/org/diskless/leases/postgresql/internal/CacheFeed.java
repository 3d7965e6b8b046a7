package org.diskless.leases.postgresql.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link LeaseCache} coherent with the database, on its own thread and connection: on
 * every (re)connection it brings the schema up to date, LISTENs, then reads the whole table, and
 * from then on applies each change as it is notified at commit. LISTEN comes before the read, so a
 * change committed meanwhile arrives twice and the row versions keep the newer.
 *
 * <p>Staleness: while connected, a change made by another server reaches this cache within the
 * delivery time of one notification (the poll below wakes as it arrives). While the database is
 * down the cache stays as of the last notification before the outage, and nothing is decided on
 * it except renewing a lease it shows this client holding, no longer than it shows it held. This
 * thread also notices an outage first (the connection breaks, or the ping every
 * {@link #PING_PERIOD} fails) and the return of the database (it reconnects with backoff).
 */
final class CacheFeed implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheFeed.class);
    private static final int POLL_MILLIS = 500;
    static final Duration PING_PERIOD = Duration.ofSeconds(2);
    private static final Duration PURGE_PERIOD = Duration.ofMinutes(10);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final DataSource database;
    private final LeaseCache cache;
    private final DatabaseState state;
    private final Duration retention;
    private final Clock clock;
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private volatile boolean running = true;

    CacheFeed(DataSource database, LeaseCache cache, DatabaseState state, Duration retention, Clock clock) {
        this.database = database;
        this.cache = cache;
        this.state = state;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void run() {
        Duration retry = FIRST_RETRY;
        while (running) {
            try (Connection opened = database.getConnection()) {
                follow(opened);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                state.down(describe(e));
            }
            if (!sleep(retry)) {
                return;
            }
            retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
    }

    private void follow(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        int applied = Migrations.apply(connection);
        if (applied > 0) {
            LOG.info("Lease schema brought to version {} ({} migrations applied)", Migrations.latest(), applied);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + LeaseRows.CHANNEL);
            cache.replaceAll(loadAll(statement));
        }
        state.up(cache.size());
        PGConnection notifications = connection.unwrap(PGConnection.class);
        Instant pinged = clock.instant();
        Instant purged = Instant.MIN;
        while (running) {
            PGNotification[] arrived = notifications.getNotifications(POLL_MILLIS);
            if (arrived != null) {
                for (PGNotification notification : arrived) {
                    apply(notification.getParameter());
                }
            }
            Instant now = clock.instant();
            if (!state.reachable() || Duration.between(pinged, now).compareTo(PING_PERIOD) >= 0) {
                // A quiet socket says nothing about a server that went away without closing it.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                pinged = now;
                // The writer may have counted the database down on a connection of its own that
                // broke; this one answers, so it is back.
                state.up(cache.size());
            }
            if (Duration.between(purged, now).compareTo(PURGE_PERIOD) >= 0) {
                purge(connection, now);
                purged = now;
            }
        }
    }

    private static List<LeaseCache.Entry> loadAll(Statement statement) throws SQLException {
        List<LeaseCache.Entry> rows = new ArrayList<>();
        try (ResultSet row = statement.executeQuery(LeaseRows.SELECT_ALL)) {
            while (row.next()) {
                rows.add(LeaseRows.read(row));
            }
        }
        return rows;
    }

    private void apply(String payload) {
        try {
            LeaseRows.Change.parse(payload).applyTo(cache);
        } catch (RuntimeException e) {
            // Someone else notifying on our channel: not ours to act on, and not worth a stack trace.
            throttle.warn(LOG, "payload", "Ignored a notification on {} that is not a lease change: {}",
                    LeaseRows.CHANNEL, Printable.of(payload, 200));
        }
    }

    private void purge(Connection connection, Instant now) throws SQLException {
        try (var delete = connection.prepareStatement(LeaseRows.PURGE)) {
            delete.setObject(1, OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC));
            int deleted = delete.executeUpdate();
            if (deleted > 0) {
                LOG.info("Deleted {} leases that expired more than {} h ago", deleted, retention.toHours());
            }
        }
    }

    private boolean sleep(Duration time) {
        try {
            Thread.sleep(time.toMillis());
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops following; the thread ends within one poll. */
    void stop() {
        running = false;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}

package org.diskless.leases.postgresql.internal;

import java.net.Inet4Address;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.diskless.api.leases.AddressTakenException;
import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.support.log.LogThrottle;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The {@link LeaseStore} in PostgreSQL. Commits are queued and written by one thread, all that
 * queued up meanwhile in one transaction (group commit: one WAL flush for the lot), and each
 * completes only after that transaction committed with {@code synchronous_commit = on}, which
 * every pooled connection sets for itself. Whether an address is free for a client is decided by
 * the database (see {@link LeaseRows#UPSERT}); a lease it refuses fails its commit, so the DHCP
 * server sends no ACK for it. Reads come from the {@link LeaseCache} that {@link CacheFeed} keeps.
 *
 * <p>While the database is down, a renewal of a lease the cache shows this client holding is
 * acknowledged up to the expiry the database already recorded (the commit completes with that
 * shorter lease, nothing is written); everything else is refused, counted and logged at most once
 * a minute. When the database answers again the cache is reloaded and writes resume.
 */
final class SqlLeaseStore implements LeaseStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqlLeaseStore.class);
    private static final int MAX_QUEUED = 65_536;
    private static final int MAX_BATCH = 512;
    private static final int ATTEMPTS = 3;
    private static final long CLOSE_TIMEOUT_SECONDS = 10;
    private static final Comparator<Pending> BY_ADDRESS =
            Comparator.comparing(p -> Integer.toUnsignedLong(ipv4Bits(p.lease().address())));

    private record Pending(Lease lease, CompletableFuture<Lease> done) {
    }

    private final PostgresqlSettings settings;
    private final Clock clock;
    private final LeaseCache cache = new LeaseCache();
    private final DatabaseState state;
    private final HikariDataSource pool;
    private final CacheFeed feed;
    private final Thread writer;
    private final Thread feedThread;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong renewedWhileDown = new AtomicLong();
    private final AtomicLong refusedWhileDown = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean open = true;

    private SqlLeaseStore(PostgresqlSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.state = new DatabaseState(settings.url(), clock);
        PGSimpleDataSource database = dataSource(settings);
        this.pool = pool(database, settings);
        this.feed = new CacheFeed(database, cache, state, settings.retention(), clock);
        this.writer = new Thread(this::write, "diskless-leases-postgresql-writer");
        this.feedThread = new Thread(feed, "diskless-leases-postgresql-feed");
        writer.setDaemon(true);
        feedThread.setDaemon(true);
    }

    /**
     * Starts the store and waits up to {@code firstLoad} for the first connection, so a DHCP server
     * that restores its book from {@link #leases()} right away finds them; with the database down
     * it opens all the same, refusing new leases until the database answers.
     */
    static SqlLeaseStore open(PostgresqlSettings settings, Clock clock, Duration firstLoad) {
        SqlLeaseStore store = new SqlLeaseStore(settings, clock);
        store.feedThread.start();
        store.writer.start();
        store.awaitReachable(firstLoad);
        return store;
    }

    boolean awaitReachable(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!state.reachable() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return state.reachable();
    }

    private static PGSimpleDataSource dataSource(PostgresqlSettings settings) {
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setURL(settings.url());
        database.setUser(settings.user());
        settings.password().ifPresent(p -> database.setPassword(p.value()));
        int timeout = (int) settings.connectTimeout().toSeconds();
        database.setConnectTimeout(timeout);
        database.setLoginTimeout(timeout);
        // A server gone without closing the socket shows as a read that never ends: bound it.
        database.setSocketTimeout((int) Math.max(10, 3 * CacheFeed.PING_PERIOD.toSeconds()));
        database.setTcpKeepAlive(true);
        database.setApplicationName("diskless");
        return database;
    }

    private static HikariDataSource pool(PGSimpleDataSource database, PostgresqlSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("diskless-leases");
        config.setDataSource(database);
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        // An ACK waits for the WAL flush: whatever the database or role says, this session says on.
        config.setConnectionInitSql("SET synchronous_commit TO on");
        // Open with the database down: the feed notices its return and the pool then connects.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    // ---------------------------------------------------------------- LeaseStore

    @Override
    public CompletionStage<Lease> commit(Lease lease) {
        if (!open) {
            return CompletableFuture.failedStage(new LeaseRefusedException("the PostgreSQL lease store is closed;"
                    + " the lease of " + lease.address().getHostAddress() + " was not recorded"));
        }
        Pending pending = new Pending(LeaseRows.toMicros(lease), new CompletableFuture<>());
        if (!queue.offer(pending)) {
            failed.incrementAndGet();
            return CompletableFuture.failedStage(new LeaseRefusedException(MAX_QUEUED + " leases already wait for"
                    + " the database; the lease of " + lease.address().getHostAddress() + " was not recorded"));
        }
        return pending.done();
    }

    @Override
    public Optional<Lease> byAddress(Inet4Address address) {
        return cache.byAddress(address);
    }

    @Override
    public Optional<Lease> byClientId(String clientId) {
        return cache.byClientId(clientId);
    }

    @Override
    public Collection<Lease> leases() {
        return cache.leases();
    }

    StoreStatus status() {
        return new StoreStatus(settings.url(), state.reachable(), state.downSince(), cache.size(), committed.get(),
                taken.get(), renewedWhileDown.get(), refusedWhileDown.get(), failed.get(), state.reconnections());
    }

    /** A setting as a pooled session has it, e.g. {@code synchronous_commit}; {@code name} is ours, never an operator's. */
    String sessionSetting(String name) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW " + name)) {
            row.next();
            String value = row.getString(1);
            connection.rollback();
            return value;
        }
    }

    PostgresqlSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- the writer

    private void write() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (state.reachable()) {
                    writeAll(batch);
                } else {
                    batch.forEach(this::whileDown);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // A bug must not stop the writer: fail what it held, keep serving the rest.
                LOG.error("Lease writer failed", e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void writeAll(List<Pending> batch) {
        // Rows locked in one order by every server: two batches never wait for each other in a cycle.
        batch.sort(BY_ADDRESS);
        for (int attempt = 1; ; attempt++) {
            try {
                long[] versions = upsert(batch);
                for (int i = 0; i < batch.size(); i++) {
                    settle(batch.get(i), versions[i]);
                }
                return;
            } catch (SQLException e) {
                if (isConnectionLost(e)) {
                    // Tried twice before the database counts as down: a pooled connection broken by an
                    // earlier outage fails once, and just after the database returns the pool may still
                    // be waiting out its back-off between connection attempts (no connection within
                    // connectTimeout), while the cache feed already reaches the database.
                    if (attempt < 2) {
                        continue;
                    }
                    state.down(CacheFeed.describe(e));
                    batch.forEach(this::whileDown);
                    return;
                }
                if (isRetryable(e) && attempt < ATTEMPTS) {
                    continue;
                }
                failed.addAndGet(batch.size());
                throttle.error(LOG, "write", "Could not write {} leases to {}: {} (SQLSTATE {})", batch.size(),
                        settings.url(), CacheFeed.describe(e), e.getSQLState());
                batch.forEach(p -> p.done().completeExceptionally(e));
                return;
            }
        }
    }

    /**
     * One transaction: the version each lease got, or -1 where the address belongs to another
     * client. The batch, sorted by address, goes in rounds of distinct addresses: the first lease
     * of each address, then the second of those that have one, and so on, so that leases of one
     * address are written in the order they came. Nearly always one round, one round trip.
     */
    private long[] upsert(List<Pending> batch) throws SQLException {
        long[] versions = new long[batch.size()];
        try (Connection connection = pool.getConnection();
             PreparedStatement upsert = connection.prepareStatement(LeaseRows.UPSERT)) {
            try {
                for (List<Integer> round : rounds(batch)) {
                    List<Lease> leases = round.stream().map(i -> batch.get(i).lease()).toList();
                    LeaseRows.bindUpsert(connection, upsert, leases);
                    Map<String, Long> written = new HashMap<>();
                    try (ResultSet rows = upsert.executeQuery()) {
                        while (rows.next()) {
                            written.put(rows.getString(1), rows.getLong(2));
                        }
                    }
                    for (int i : round) {
                        versions[i] = written.getOrDefault(batch.get(i).lease().address().getHostAddress(), -1L);
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
        return versions;
    }

    /** Indexes into {@code sorted} (by address) grouped so that no group holds one address twice, in order. */
    private static List<List<Integer>> rounds(List<Pending> sorted) {
        List<List<Integer>> rounds = new ArrayList<>();
        int repeat = 0;
        for (int i = 0; i < sorted.size(); i++) {
            boolean same = i > 0 && sorted.get(i).lease().address().equals(sorted.get(i - 1).lease().address());
            repeat = same ? repeat + 1 : 0;
            if (repeat == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(repeat).add(i);
        }
        return rounds;
    }

    private void settle(Pending pending, long version) {
        Lease lease = pending.lease();
        if (version < 0) {
            taken.incrementAndGet();
            String holder = cache.byAddress(lease.address()).map(l -> " (" + l.hardwareAddress() + ")").orElse("");
            pending.done().completeExceptionally(new AddressTakenException(lease.address(),
                    lease.address().getHostAddress() + " is leased to another client" + holder
                            + ", recorded by another server"));
            return;
        }
        committed.incrementAndGet();
        cache.put(lease, version);
        pending.done().complete(lease);
    }

    private void whileDown(Pending pending) {
        Lease lease = pending.lease();
        Instant now = clock.instant();
        Optional<Lease> known = cache.byAddress(lease.address());
        if (lease.state() == Lease.State.BOUND && known.isPresent() && known.get().clientId().equals(lease.clientId())
                && known.get().isActiveAt(now) && !known.get().expires().isBefore(lease.start())) {
            // Renewed, but for no longer than the database already holds the address for it.
            Instant until = lease.expires().isAfter(known.get().expires()) ? known.get().expires() : lease.expires();
            renewedWhileDown.incrementAndGet();
            pending.done().complete(Lease.of(lease.clientId(), lease.hardwareAddress(), lease.address(), lease.start(),
                    until, Lease.State.BOUND));
            return;
        }
        long refused = refusedWhileDown.incrementAndGet();
        throttle.warn(LOG, "down", "Refused {} of {} to {}: the lease database {} does not answer ({} refused while"
                + " it was down; known leases are still renewed)", lease.state(), lease.address().getHostAddress(),
                lease.hardwareAddress(), settings.url(), refused);
        pending.done().completeExceptionally(new LeaseRefusedException("the lease database does not answer; "
                + lease.state() + " of " + lease.address().getHostAddress() + " was not recorded"));
    }

    private static boolean isConnectionLost(SQLException e) {
        String sqlState = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
    }

    private static boolean isRetryable(SQLException e) {
        // Deadlock or serialisation failure: nothing was committed, the same batch may simply run again.
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it.
        }
    }

    private static int ipv4Bits(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    /** Writes what is queued, then stops; whatever is still queued after the timeout fails. */
    @Override
    public void close() {
        open = false;
        feed.stop();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
            feedThread.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new LeaseRefusedException("the PostgreSQL lease store closed before"
                    + " the lease of " + left.lease().address().getHostAddress() + " was written"));
        }
        pool.close();
    }
}

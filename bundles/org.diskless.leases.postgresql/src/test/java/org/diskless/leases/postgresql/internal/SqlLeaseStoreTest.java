package org.diskless.leases.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.AddressTakenException;
import org.diskless.api.leases.Lease;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SQL store against a real PostgreSQL that the test starts (see {@link PostgresServer}). */
class SqlLeaseStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static PostgresServer server;

    private final List<SqlLeaseStore> stores = new ArrayList<>();
    private String schema;

    @BeforeAll
    static void startPostgres() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshSchema() throws SQLException {
        schema = server.createSchema();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(SqlLeaseStore::close);
    }

    private SqlLeaseStore open() {
        SqlLeaseStore store = SqlLeaseStore.open(server.settings(schema), Clock.systemUTC(), WAIT);
        stores.add(store);
        assertTrue(store.status().reachable(), "the store connects to the test database");
        return store;
    }

    @Test
    void aCommittedLeaseIsReadFromTheCacheAndByAStoreOpenedLater() throws Exception {
        SqlLeaseStore store = open();
        Lease lease = bound("10.0.0.5", 1, Duration.ofHours(1));

        assertEquals(lease, store.commit(lease).toCompletableFuture().get(10, TimeUnit.SECONDS));

        assertEquals(Optional.of(lease), store.byAddress(lease.address()));
        assertEquals(Optional.of(lease), store.byClientId(lease.clientId()));
        assertEquals(List.of(lease), List.copyOf(open().leases()));
    }

    @Test
    void theSchemaIsCreatedOnceAndRecordedWithItsVersion() throws Exception {
        open();
        open();
        try (Connection connection = server.connect(schema); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            List<Integer> versions = new ArrayList<>();
            while (rows.next()) {
                versions.add(rows.getInt(1));
            }
            assertEquals(List.of(Migrations.latest()), versions);
        }
    }

    @Test
    void twoStoresRacingForTheSameAddressesNeverLeaseOneToTwoClients() throws Exception {
        SqlLeaseStore first = open();
        SqlLeaseStore second = open();
        int addresses = 300;
        CountDownLatch go = new CountDownLatch(1);
        Map<Integer, CompletableFuture<Lease>> byFirst = new HashMap<>();
        Map<Integer, CompletableFuture<Lease>> bySecond = new HashMap<>();
        Thread racer = new Thread(() -> {
            awaitQuietly(go);
            for (int i = 0; i < addresses; i++) {
                synchronized (bySecond) {
                    bySecond.put(i, second.commit(bound(address(i), 1000 + i, Duration.ofHours(1)))
                            .toCompletableFuture());
                }
            }
        });
        racer.start();
        go.countDown();
        for (int i = 0; i < addresses; i++) {
            byFirst.put(i, first.commit(bound(address(i), i, Duration.ofHours(1))).toCompletableFuture());
        }
        racer.join(WAIT.toMillis());

        List<Boolean> firstWins = new ArrayList<>();
        for (int i = 0; i < addresses; i++) {
            boolean firstWon = succeeded(byFirst.get(i));
            boolean secondWon;
            synchronized (bySecond) {
                secondWon = succeeded(bySecond.get(i));
            }
            assertTrue(firstWon ^ secondWon, address(i) + " acknowledged to exactly one client: first " + firstWon
                    + ", second " + secondWon);
            firstWins.add(firstWon);
        }
        Map<String, String> rows = rows();
        for (int i = 0; i < addresses; i++) {
            assertEquals(clientId(firstWins.get(i) ? i : 1000 + i), rows.get(address(i)), "the database holds the winner");
        }
    }

    @Test
    void aLeaseCompletesOnlyOnceItsTransactionCommitted() throws Exception {
        SqlLeaseStore store = open();
        Lease lease = bound("10.0.0.9", 9, Duration.ofHours(1));
        try (Connection admin = server.connect(schema); Statement statement = admin.createStatement()) {
            // A synchronous standby that never comes: every synchronous COMMIT now waits at its very
            // end, after the statements ran, which is exactly where an early ACK would slip out.
            statement.execute("ALTER SYSTEM SET synchronous_standby_names = 'nobody'");
            statement.execute("SELECT pg_reload_conf()");
            CompletableFuture<Lease> done;
            try {
                Thread.sleep(200);
                done = store.commit(lease).toCompletableFuture();
                Thread.sleep(1000);
                assertFalse(done.isDone(), "no ACK while the lease's transaction has not committed");
            } finally {
                statement.execute("ALTER SYSTEM RESET synchronous_standby_names");
                statement.execute("SELECT pg_reload_conf()");
            }
            assertEquals(lease, done.get(10, TimeUnit.SECONDS));
        }
        assertEquals(clientId(9), rows().get("10.0.0.9"), "once completed, another session reads the lease");
    }

    @Test
    void everyPooledSessionCommitsSynchronouslyWhateverTheDatabaseSays() throws Exception {
        try (Connection connection = server.connect(schema); Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + PostgresServer.USER + " SET synchronous_commit = off");
            try {
                SqlLeaseStore store = open();
                assertEquals("on", store.sessionSetting("synchronous_commit"));
            } finally {
                statement.execute("ALTER ROLE " + PostgresServer.USER + " RESET synchronous_commit");
            }
        }
    }

    @Test
    void anotherClientMayTakeAnAddressOnlyOnceItIsReleasedOrExpired() throws Exception {
        SqlLeaseStore store = open();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Lease held = bound("10.0.0.7", 1, Duration.ofHours(1));
        commit(store, held);

        assertTaken(store.commit(bound("10.0.0.7", 2, Duration.ofHours(1))));
        assertTaken(store.commit(Lease.of(clientId(2), mac(2), held.address(), now, now, Lease.State.RELEASED)));

        commit(store, Lease.of(clientId(1), mac(1), held.address(), now, now, Lease.State.RELEASED));
        Lease taken = bound("10.0.0.7", 2, Duration.ofHours(1));
        assertEquals(taken, commit(store, taken));

        Lease past = Lease.of(clientId(3), mac(3), ipv4(address(8)), now.minus(Duration.ofHours(2)),
                now.minus(Duration.ofHours(1)), Lease.State.BOUND);
        commit(store, past);
        Lease after = bound(address(8), 4, Duration.ofHours(1));
        assertEquals(after, commit(store, after), "an expired lease gives way");
    }

    @Test
    void leasesOfOneAddressWrittenInOneTransactionTakeEffectInTheOrderTheyCame() throws Exception {
        SqlLeaseStore store = open();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CompletableFuture<Lease> first;
        CompletableFuture<Lease> bound;
        CompletableFuture<Lease> released;
        CompletableFuture<Lease> taken;
        CompletableFuture<Lease> late;
        try (Connection admin = server.connect(schema); Statement statement = admin.createStatement()) {
            // The writer waits in the commit of a first lease, so the next four queue up and share one transaction.
            statement.execute("ALTER SYSTEM SET synchronous_standby_names = 'nobody'");
            statement.execute("SELECT pg_reload_conf()");
            try {
                Thread.sleep(200);
                first = store.commit(bound("10.0.3.1", 9, Duration.ofHours(1))).toCompletableFuture();
                Thread.sleep(500);
                bound = store.commit(bound("10.0.3.7", 1, Duration.ofHours(1))).toCompletableFuture();
                released = store.commit(Lease.of(clientId(1), mac(1), ipv4("10.0.3.7"), now, now,
                        Lease.State.RELEASED)).toCompletableFuture();
                taken = store.commit(bound("10.0.3.7", 2, Duration.ofHours(1))).toCompletableFuture();
                late = store.commit(bound("10.0.3.7", 3, Duration.ofHours(1))).toCompletableFuture();
                assertFalse(first.isDone(), "the writer is still held in the first commit");
            } finally {
                statement.execute("ALTER SYSTEM RESET synchronous_standby_names");
                statement.execute("SELECT pg_reload_conf()");
            }
        }
        assertTrue(succeeded(first));
        assertTrue(succeeded(bound), "the first client's lease");
        assertTrue(succeeded(released), "its release");
        assertTrue(succeeded(taken), "the second client takes the released address");
        assertTaken(late);
        assertEquals(clientId(2), rows().get("10.0.3.7"));
        assertEquals(clientId(2), store.byAddress(ipv4("10.0.3.7")).orElseThrow().clientId());
    }

    @Test
    void aChangeByOneServerReachesTheOtherServersCache() throws Exception {
        SqlLeaseStore first = open();
        SqlLeaseStore second = open();
        Lease lease = bound("10.0.1.1", 1, Duration.ofHours(1));
        commit(first, lease);
        waitFor(() -> second.byAddress(lease.address()).equals(Optional.of(lease)), "the second store sees the lease");
        assertEquals(Optional.of(lease), second.byClientId(lease.clientId()));

        Lease renewed = bound("10.0.1.1", 1, Duration.ofHours(3));
        commit(second, renewed);
        waitFor(() -> first.byAddress(lease.address()).equals(Optional.of(renewed)), "the first sees the renewal");

        try (Connection operator = server.connect(schema); Statement statement = operator.createStatement()) {
            statement.execute("DELETE FROM lease WHERE address = '10.0.1.1'");
        }
        waitFor(() -> first.byAddress(lease.address()).isEmpty() && second.byAddress(lease.address()).isEmpty(),
                "a row deleted by an operator leaves both caches");
        assertEquals(Optional.empty(), second.byClientId(lease.clientId()));
    }

    @Test
    void withTheDatabaseDownKnownLeasesAreRenewedWithinTheirTimeNewOnesRefusedAndItRecovers() throws Exception {
        SqlLeaseStore store = open();
        Lease known = bound("10.0.2.1", 1, Duration.ofMinutes(30));
        commit(store, known);

        server.crash();
        try {
            waitFor(() -> !store.status().reachable(), "the store notices the database is gone");

            Lease renewal = bound("10.0.2.1", 1, Duration.ofHours(2));
            Lease granted = commit(store, renewal);
            assertEquals(known.expires(), granted.expires(), "renewed no longer than the database holds it");
            assertRefused(store.commit(bound("10.0.2.2", 2, Duration.ofHours(1))), "does not answer");
            assertRefused(store.commit(bound("10.0.2.1", 3, Duration.ofHours(1))), "does not answer");
            assertEquals(1, store.status().renewedWhileDown());
            assertEquals(2, store.status().refusedWhileDown());
        } finally {
            server.startAgain();
        }

        waitFor(() -> store.status().reachable(), "the store reconnects by itself");
        Lease fresh = bound("10.0.2.2", 2, Duration.ofHours(1));
        assertEquals(fresh, commit(store, fresh));
        assertEquals(1, store.status().reconnections());
        assertEquals(Optional.of(known), store.byAddress(known.address()), "reloaded, the cache holds what was durable");
    }

    @Test
    void aChangeMadeWhileAServerWasCutOffReachesItsCacheWhenItReconnects() throws Exception {
        SqlLeaseStore store = open();
        try (Connection admin = server.connect(schema); Statement statement = admin.createStatement()) {
            // One transaction: the store's connections are cut (as a network failure would) and the
            // row committed before the store can be listening again, so only its reload can bring it.
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name"
                    + " = 'diskless';"
                    + " INSERT INTO lease VALUES ('10.0.3.1', '" + clientId(1) + "', 1, '\\x525400000001',"
                    + " now(), now() + interval '1 hour', 'BOUND', nextval('lease_version'))");
        }
        waitFor(() -> store.byAddress(ipv4("10.0.3.1")).map(Lease::clientId).equals(Optional.of(clientId(1))),
                "the cut-off store catches up");
        assertEquals(1, store.status().reconnections());
    }

    @Test
    void anImportCopiesEveryLeaseAndReportsTheAddressesAnotherClientHolds() throws Exception {
        SqlLeaseStore target = open();
        String source = schema;
        schema = server.createSchema();
        SqlLeaseStore journal = open();
        schema = source;
        Lease first = bound("10.0.4.1", 1, Duration.ofHours(1));
        Lease second = bound("10.0.4.2", 2, Duration.ofHours(1));
        Lease clash = bound("10.0.4.3", 3, Duration.ofHours(1));
        for (Lease lease : List.of(first, second, clash)) {
            commit(journal, lease);
        }
        Lease holder = bound("10.0.4.3", 4, Duration.ofHours(1));
        commit(target, holder);

        LeaseImport result = LeaseImport.copy(journal, target, WAIT);

        assertEquals(2, result.imported());
        assertEquals(1, result.refused().size());
        assertTrue(result.refused().get(0).startsWith("10.0.4.3 (52:54:00:00:00:03)"), result.refused().get(0));
        assertEquals(Map.of("10.0.4.1", clientId(1), "10.0.4.2", clientId(2), "10.0.4.3", clientId(4)), rows());
        assertEquals(2, LeaseImport.copy(journal, target, WAIT).imported(), "repeating it changes nothing");
    }

    // ---------------------------------------------------------------- helpers

    private static Lease commit(SqlLeaseStore store, Lease lease) throws Exception {
        return store.commit(lease).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void assertRefused(java.util.concurrent.CompletionStage<Lease> commit, String why) throws Exception {
        try {
            commit.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            fail("expected a refusal: " + why);
        } catch (ExecutionException e) {
            assertInstanceOf(LeaseRefusedException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains(why), e.getCause().getMessage());
        }
    }

    /** The store says the address is another client's, in the API's words, so the DHCP server can NAK it. */
    private static void assertTaken(java.util.concurrent.CompletionStage<Lease> commit) throws Exception {
        try {
            commit.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            fail("expected the address to be another client's");
        } catch (ExecutionException e) {
            assertInstanceOf(AddressTakenException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("is leased to another client"), e.getCause().getMessage());
        }
    }

    private static boolean succeeded(CompletableFuture<Lease> commit) {
        try {
            commit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof LeaseRefusedException || e.getCause() instanceof AddressTakenException,
                    String.valueOf(e.getCause()));
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, String> rows() throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection connection = server.connect(schema); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT host(address), client_id FROM lease")) {
            while (row.next()) {
                rows.put(row.getString(1), row.getString(2));
            }
        }
        return rows;
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Lease bound(String address, int client, Duration time) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Lease.of(clientId(client), mac(client), ipv4(address), now, now.plus(time), Lease.State.BOUND);
    }

    static String address(int i) {
        return "10.1." + (i / 250) + "." + (1 + i % 250);
    }

    static String clientId(int client) {
        return String.format("01:52:54:00:00:%02x:%02x", client >> 8 & 0xff, client & 0xff);
    }

    static HardwareAddress mac(int client) {
        return HardwareAddress.ethernet(new byte[] {0x52, 0x54, 0, 0, (byte) (client >> 8), (byte) client});
    }

    static Inet4Address ipv4(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

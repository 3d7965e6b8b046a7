package org.diskless.leases.postgresql.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.diskless.api.leases.LeaseStore;

/**
 * One PostgreSQL schema that several lease stores share, as several Diskless servers share one
 * database: for tests outside this package (the DHCP servers' race) that need the real store.
 */
public final class SharedDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String schema;
    private final List<SqlLeaseStore> stores = new ArrayList<>();

    private SharedDatabase(PostgresServer server, String schema) {
        this.server = server;
        this.schema = schema;
    }

    public static SharedDatabase start() throws Exception {
        PostgresServer server = PostgresServer.start();
        return new SharedDatabase(server, server.createSchema());
    }

    /** A store of its own on the shared schema, as one server opens it. */
    public LeaseStore openStore() {
        SqlLeaseStore store = SqlLeaseStore.open(server.settings(schema), Clock.systemUTC(), Duration.ofSeconds(20));
        stores.add(store);
        return store;
    }

    /** A plain connection to the schema, to read what the database holds. */
    public Connection connect() throws SQLException {
        return server.connect(schema);
    }

    @Override
    public void close() throws Exception {
        stores.forEach(SqlLeaseStore::close);
        server.close();
    }
}

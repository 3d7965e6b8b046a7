package org.diskless.leases.postgresql.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;

/** How a {@link Lease} is written to and read from the {@code lease} table and its notifications. */
final class LeaseRows {

    /** The channel the table's trigger notifies every change on (see migrations/V1__leases.sql). */
    static final String CHANNEL = "diskless_lease";

    /**
     * Inserts each lease of a batch, or replaces the row of its address when the database, under
     * that row's lock, finds it free for this client: held by the same client, released, or expired
     * by the database's clock (one clock for every server). Returns the address and new version of
     * every row written; an address missing from the result belongs to another client. No
     * check-then-insert: two servers racing for one address serialise on the primary key, and the
     * second sees the first's committed row. One statement for the whole batch, so a batch costs
     * one round trip to the database, not one per lease; the rows are locked in address order, the
     * same order in every server. The seven arrays are bound by {@link #bindUpsert}, all as text;
     * the addresses must be distinct (a row cannot be upserted twice by one statement).
     */
    static final String UPSERT = """
            INSERT INTO lease AS held (address, client_id, hw_type, hw_address, starts, expires, state, version)
            SELECT address::inet, client_id, hw_type::smallint, decode(hw_address, 'hex'),
                timestamptz 'epoch' + starts::bigint * interval '1 microsecond',
                timestamptz 'epoch' + expires::bigint * interval '1 microsecond', state, nextval('lease_version')
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                AS batch (address, client_id, hw_type, hw_address, starts, expires, state)
            ORDER BY address::inet
            ON CONFLICT (address) DO UPDATE SET client_id = excluded.client_id, hw_type = excluded.hw_type,
                hw_address = excluded.hw_address, starts = excluded.starts, expires = excluded.expires,
                state = excluded.state, version = nextval('lease_version')
            WHERE held.client_id = excluded.client_id OR held.state = 'RELEASED'
                OR held.expires <= statement_timestamp()
            RETURNING host(address), version""";

    static final String SELECT_ALL =
            "SELECT address, client_id, hw_type, hw_address, starts, expires, state, version FROM lease";

    static final String PURGE = "DELETE FROM lease WHERE expires < ?";

    private LeaseRows() {
    }

    /** The database keeps microseconds: a lease is cut to them before it is written, so what is read back is equal. */
    static Lease toMicros(Lease lease) {
        return Lease.of(lease.clientId(), lease.hardwareAddress(), lease.address(),
                lease.start().truncatedTo(ChronoUnit.MICROS), lease.expires().truncatedTo(ChronoUnit.MICROS),
                lease.state());
    }

    /** Binds the columns of {@code leases}, whose addresses are distinct, to {@link #UPSERT}. */
    static void bindUpsert(Connection connection, PreparedStatement statement, List<Lease> leases)
            throws SQLException {
        int n = leases.size();
        String[][] columns = new String[7][n];
        for (int i = 0; i < n; i++) {
            Lease lease = leases.get(i);
            columns[0][i] = lease.address().getHostAddress();
            columns[1][i] = lease.clientId();
            columns[2][i] = Integer.toString(lease.hardwareAddress().type());
            columns[3][i] = HexFormat.of().formatHex(lease.hardwareAddress().toByteArray());
            // Microseconds since the epoch, as the trigger notifies them: what timestamptz keeps.
            columns[4][i] = Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, lease.start()));
            columns[5][i] = Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, lease.expires()));
            columns[6][i] = lease.state().name();
        }
        for (int c = 0; c < columns.length; c++) {
            statement.setArray(c + 1, connection.createArrayOf("text", columns[c]));
        }
    }

    static LeaseCache.Entry read(ResultSet row) throws SQLException {
        Lease lease = Lease.of(row.getString("client_id"),
                HardwareAddress.of(row.getShort("hw_type"), row.getBytes("hw_address")),
                ipv4(row.getString("address")),
                row.getObject("starts", OffsetDateTime.class).toInstant(),
                row.getObject("expires", OffsetDateTime.class).toInstant(),
                Lease.State.valueOf(row.getString("state")));
        return new LeaseCache.Entry(lease, row.getLong("version"));
    }

    /** A change as the trigger notifies it: a new row, or the address whose row was deleted. */
    record Change(long version, Inet4Address address, Optional<Lease> lease) {

        /**
         * Parses {@code U version address hwType hwHex startMicros expiresMicros state clientId}
         * or {@code D version address}; the client id comes last, as it may hold anything.
         */
        static Change parse(String payload) {
            String[] fields = payload.split(" ", 9);
            if (fields.length < 3) {
                throw new IllegalArgumentException("not a lease change: " + payload);
            }
            long version = Long.parseLong(fields[1]);
            Inet4Address address = ipv4(fields[2]);
            if (fields[0].equals("D") && fields.length == 3) {
                return new Change(version, address, Optional.empty());
            }
            if (!fields[0].equals("U") || fields.length != 9) {
                throw new IllegalArgumentException("not a lease change: " + payload);
            }
            HardwareAddress hardware = HardwareAddress.of(Integer.parseInt(fields[3]),
                    HexFormat.of().parseHex(fields[4]));
            Lease lease = Lease.of(fields[8], hardware, address, micros(fields[5]), micros(fields[6]),
                    Lease.State.valueOf(fields[7]));
            return new Change(version, address, Optional.of(lease));
        }

        void applyTo(LeaseCache cache) {
            lease.ifPresentOrElse(l -> cache.put(l, version), () -> cache.remove(address, version));
        }
    }

    private static Instant micros(String text) {
        return Instant.EPOCH.plus(Long.parseLong(text), ChronoUnit.MICROS);
    }

    private static Inet4Address ipv4(String text) {
        // The database only holds IPv4 literals (the column's check); refusing anything else
        // also means no name is ever looked up.
        if (!text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        try {
            if (InetAddress.getByName(text) instanceof Inet4Address v4) {
                return v4;
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + text, e);
        }
        throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
}

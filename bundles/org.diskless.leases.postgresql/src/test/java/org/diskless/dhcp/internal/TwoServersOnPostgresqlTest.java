package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.diskless.api.HardwareAddress;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.leases.postgresql.internal.SharedDatabase;
import org.diskless.support.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two DHCP servers, each with its own lease book and its own store on one real PostgreSQL (started
 * by the test), hand out one pool to the same clients at the same time: whatever the interleaving,
 * no address is acknowledged to two clients, every acknowledged lease is in the database with its
 * client, a client that lost a race is NAKed and gets another address, and races are rare because
 * each server offers from its own share of the pool first.
 */
class TwoServersOnPostgresqlTest {

    private static final Inet4Address A = Addresses.parse("192.0.2.1");
    private static final Inet4Address B = Addresses.parse("192.0.2.2");
    private static final int POOL = 40;
    private static final long WAIT_SECONDS = 20;
    /** Races left when a share fills up (offers to clients that take the other server's hold it). */
    private static final int MAX_NAKS = 4;

    private static SharedDatabase database;

    @BeforeAll
    static void startPostgres() throws Exception {
        database = SharedDatabase.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    /** One server: its processor on its own event loop, and what it sent. */
    private static final class Server implements AutoCloseable {
        final Inet4Address address;
        final ExecutorService loop = Executors.newSingleThreadExecutor();
        final DhcpProcessor processor;
        final Map<Integer, LinkedBlockingQueue<DhcpMessage>> repliesByXid = new java.util.concurrent.ConcurrentHashMap<>();

        Server(Inet4Address address, Inet4Address peer) throws Exception {
            this.address = address;
            DhcpSettings settings = DhcpSettings.parse(Config.of(Map.of("unknownClients", "allow",
                    "peers", peer.getHostAddress(), "peers.takeoverSeconds", "0")));
            Subnet lab = Subnet.parse("lab", Config.of(Map.of("network", "192.0.2.0/24",
                    "range", "192.0.2.100-192.0.2." + (100 + POOL - 1))));
            Topology topology = Topology.of(settings, List.of(lab), List.of(new LocalAddress("eth0", address, 24)));
            processor = new DhcpProcessor(topology, new DhcpProcessor.Services(Optional::empty, List::of, List::of,
                    Optional::empty, Optional::empty, Optional.of(database.openStore()), event -> { }, () -> false,
                    Instant::now, loop, new DhcpStatistics()));
            loop.submit(processor::restore).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        void send(DhcpMessage request) {
            loop.execute(() -> processor.handle(new DhcpProcessor.Arrival(request,
                    new InetSocketAddress(Addresses.ANY, 68), false, true), (reply, to) -> queue(reply.xid()).add(reply)));
        }

        LinkedBlockingQueue<DhcpMessage> queue(int xid) {
            return repliesByXid.computeIfAbsent(xid, x -> new LinkedBlockingQueue<>());
        }

        DhcpMessage next(int xid) throws InterruptedException {
            DhcpMessage reply = queue(xid).poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (reply == null) {
                throw new AssertionError("server " + address.getHostAddress() + " did not answer xid " + xid);
            }
            return reply;
        }

        @Override
        public void close() throws Exception {
            loop.shutdown();
            loop.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static final AtomicInteger XIDS = new AtomicInteger(0x5000);

    @Test
    void twoServersRacingForOnePoolNeverGiveOneAddressToTwoClients() throws Exception {
        try (Server a = new Server(A, B); Server b = new Server(B, A)) {
            Map<HardwareAddress, Inet4Address> acked = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger naks = new AtomicInteger();

            // Each server offers from its own share of the pool, so their first offers differ.
            Inet4Address first = offer(a, mac(1)).yiaddr();
            Inet4Address second = offer(b, mac(2)).yiaddr();
            assertNotEquals(first, second, "each server offers from its own half of the pool");
            // A certain collision nonetheless: a client asks A for the address B offered another
            // (B's offer is in B's memory only); B's REQUEST for it then loses in the database.
            DhcpMessage one = request(a, mac(1), second);
            DhcpMessage two = request(b, mac(2), second);
            assertEquals(1, List.of(one, two).stream().filter(r -> r.messageType().orElseThrow() == DhcpMessageType.ACK)
                    .count(), "exactly one of the two is acknowledged: " + one + " / " + two);
            assertEquals(1, List.of(one, two).stream().filter(r -> r.messageType().orElseThrow() == DhcpMessageType.NAK)
                    .count(), "the other is refused, so that it starts over");

            // Then many clients at once, each asking both servers and taking either offer.
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int n = 1; n <= POOL - 4; n++) {
                HardwareAddress mac = mac(n);
                Server preferred = n % 2 == 0 ? a : b;
                Server other = preferred == a ? b : a;
                done.add(clients.submit(() -> {
                    for (int attempt = 0; attempt < 20; attempt++) {
                        int xid = XIDS.incrementAndGet();
                        DhcpMessage discover = discover(mac, xid);
                        preferred.send(discover);
                        other.send(discover);
                        Server chosen = preferred;
                        DhcpMessage offer = preferred.next(xid);
                        DhcpMessage request = select(mac, offer.yiaddr(), chosen.address, xid + 100_000);
                        preferred.send(request);
                        other.send(request);
                        DhcpMessage answer = preferred.next(xid + 100_000);
                        if (answer.messageType().orElseThrow() == DhcpMessageType.ACK) {
                            acked.put(mac, answer.yiaddr());
                            return null;
                        }
                        naks.incrementAndGet();
                    }
                    throw new AssertionError(mac + " got no address in 20 attempts");
                }));
            }
            for (Future<?> client : done) {
                client.get(WAIT_SECONDS * 3, TimeUnit.SECONDS);
            }
            clients.shutdown();

            assertEquals(POOL - 4, acked.size());
            assertEquals(acked.size(), acked.values().stream().distinct().count(), "an address acknowledged twice: "
                    + acked);
            Map<Inet4Address, String> rows = rows();
            for (Map.Entry<HardwareAddress, Inet4Address> lease : acked.entrySet()) {
                assertEquals(DhcpProcessor.hardwareId(lease.getKey()), rows.get(lease.getValue()),
                        "the database holds each acknowledged lease for its client");
            }
            System.out.println("TwoServersOnPostgresqlTest: " + acked.size() + " clients acknowledged, " + naks.get()
                    + " NAKs after lost races");
            // Offers come from each server's own share until it is full, so races are rare: both
            // servers offering from the bottom of one pool lose about one REQUEST in three here.
            assertTrue(naks.get() <= MAX_NAKS, naks.get() + " NAKs: the servers offered the same addresses");
        }
    }

    private static DhcpMessage offer(Server server, HardwareAddress mac) throws InterruptedException {
        int xid = XIDS.incrementAndGet();
        server.send(discover(mac, xid));
        DhcpMessage offer = server.next(xid);
        assertEquals(DhcpMessageType.OFFER, offer.messageType().orElseThrow());
        return offer;
    }

    private static DhcpMessage request(Server server, HardwareAddress mac, Inet4Address address)
            throws InterruptedException {
        int xid = XIDS.incrementAndGet();
        server.send(select(mac, address, server.address, xid));
        return server.next(xid);
    }

    private static Map<Inet4Address, String> rows() throws Exception {
        Map<Inet4Address, String> rows = new HashMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT host(address), client_id FROM lease WHERE state = 'BOUND'")) {
            while (row.next()) {
                rows.put(Addresses.parse(row.getString(1)), row.getString(2));
            }
        }
        return rows;
    }

    private static DhcpMessage discover(HardwareAddress mac, int xid) {
        return DhcpMessage.builder().hardwareAddress(mac).xid(xid).options(o -> o.messageType(DhcpMessageType.DISCOVER))
                .build();
    }

    /** REQUEST in SELECTING state, as a client broadcasts it to every server: the chosen one named. */
    private static DhcpMessage select(HardwareAddress mac, Inet4Address address, Inet4Address server, int xid) {
        return DhcpMessage.builder().hardwareAddress(mac).xid(xid)
                .options(o -> o.messageType(DhcpMessageType.REQUEST).requestedIpAddress(address).serverIdentifier(server))
                .build();
    }

    private static HardwareAddress mac(int n) {
        return HardwareAddress.ethernet(new byte[] {0x52, 0x54, 0x00, 0x7f, (byte) (n >> 8), (byte) n});
    }
}

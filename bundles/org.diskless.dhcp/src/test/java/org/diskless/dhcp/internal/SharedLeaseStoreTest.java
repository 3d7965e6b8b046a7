package org.diskless.dhcp.internal;

import static org.diskless.dhcp.codec.DhcpMessageType.ACK;
import static org.diskless.dhcp.codec.DhcpMessageType.NAK;
import static org.diskless.dhcp.codec.DhcpMessageType.OFFER;
import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.SERVER;
import static org.diskless.dhcp.internal.DhcpFixture.START;
import static org.diskless.dhcp.internal.DhcpFixture.discover;
import static org.diskless.dhcp.internal.DhcpFixture.initReboot;
import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.only;
import static org.diskless.dhcp.internal.DhcpFixture.select;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.AddressTakenException;
import org.diskless.api.leases.Lease;
import org.diskless.api.nodes.Node;
import org.diskless.dhcp.codec.DhcpOptions;
import org.junit.jupiter.api.Test;

/**
 * A server with a peer, on a lease store the peer writes to as well: what the store holds and this
 * server's lease book has not heard of. takeoverSeconds = 0 makes this server answer every client.
 */
class SharedLeaseStoreTest {

    private static final Inet4Address FIRST = ip("192.0.2.100");
    private static final Inet4Address SECOND = ip("192.0.2.101");

    private final DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "peers", "192.0.2.2",
            "peers.takeoverSeconds", "0"), LAB).start();

    @Test
    void anAddressThePeerLeasedIsNotOfferedThoughOurBookNeverSawIt() {
        f.leases.preload(leaseOf(mac(9), FIRST));

        assertEquals(SECOND, only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr());
    }

    @Test
    void anAddressThePeerReleasedIsOfferedAgain() {
        f.leases.preload(Lease.of(id(mac(9)), mac(9), FIRST, START, START, Lease.State.RELEASED));

        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr());
    }

    @Test
    void aRequestForAnAddressThePeerLeasedIsRefused() {
        f.leases.preload(leaseOf(mac(9), FIRST));

        DhcpFixture.Sent nak = only(NAK, f.handle(initReboot(mac(1), FIRST).build()));
        assertTrue(new String(nak.reply().options().get(DhcpOptions.MESSAGE).orElseThrow(), StandardCharsets.US_ASCII)
                .contains("belongs to another client"));
    }

    @Test
    void whenThePeerLeasedTheAddressFirstTheClientIsRefusedAndOfferedAnother() {
        Inet4Address offered = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();
        assertTrue(f.handle(select(mac(1), offered, SERVER).build()).isEmpty());
        // The peer committed the same address for its client first; its notification is still on the way.
        f.leases.failNext(new java.util.concurrent.CompletionException(new AddressTakenException(offered,
                offered.getHostAddress() + " is leased to another client")));
        f.loop.runPending();

        only(NAK, f.sent().subList(f.sent().size() - 1, f.sent().size()));
        assertFalse(f.processor().book().bindingAt(Addresses.toInt(offered)).isPresent(), "nothing held for it here");
        Inet4Address next = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();
        assertFalse(next.equals(offered), "the refused address is kept out until the store's cache knows its lease");
        assertTrue(f.handle(select(mac(1), next, SERVER).build()).isEmpty());
        assertEquals(next, only(ACK, f.settle()).reply().yiaddr());
    }

    @Test
    void aClientWhoseLeaseWonTheRaceGetsItsAddressFromUsWhenItsServerDies() {
        Inet4Address offered = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();
        f.handle(select(mac(1), offered, SERVER).build());
        f.leases.failNext(new java.util.concurrent.CompletionException(new AddressTakenException(offered,
                offered.getHostAddress() + " is leased to another client")));
        f.loop.runPending();
        // The winner's lease reaches the cache; then its server dies and its client asks us.
        f.leases.preload(leaseOf(mac(9), offered));

        assertEquals(offered, only(OFFER, f.handle(discover(mac(9)).build())).reply().yiaddr(),
                "the address we lost is the client's own: the store's lease outranks our memory of the race");
    }

    @Test
    void aWriteThatFailsForAnyOtherReasonIsNotRefusedToTheClient() {
        Inet4Address offered = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();
        f.handle(select(mac(1), offered, SERVER).build());
        f.leases.failNext(new IllegalStateException("the lease database does not answer"));
        f.loop.runPending();

        assertEquals(1, f.sent().size(), "no NAK: the client retries, the database may be back");
        assertEquals(1, f.dropped(DhcpStatistics.Drop.LEASE_WRITE_FAILED));
    }

    @Test
    void aNodeLeasedAnotherAddressByAServerWithAnotherInventoryIsWarnedAbout() {
        f.inventory.add(Node.builder("n1", mac(1)).address(ip("192.0.2.20")).build());
        f.leases.preload(leaseOf(mac(1), FIRST));
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            only(OFFER, f.handle(discover(mac(1)).build()));
            only(OFFER, f.handle(discover(mac(1)).build()));
            String log = stderr.text();
            assertTrue(log.contains("Node n1 (52:54:00:00:00:01) has the fixed address 192.0.2.20 in this server's"
                    + " inventory, but the shared lease store holds 192.0.2.100 for it"), log);
            assertTrue(log.contains("give every server the same etc/org.diskless.node-*.cfg"), log);
            assertEquals(log.indexOf("has the fixed address"), log.lastIndexOf("has the fixed address"), "throttled");
        }
    }

    @Test
    void aNodesFixedAddressLeasedToAnotherMachineIsWarnedAbout() {
        f.inventory.add(Node.builder("n1", mac(1)).address(ip("192.0.2.20")).build());
        f.leases.preload(leaseOf(mac(9), ip("192.0.2.20")));
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            only(OFFER, f.handle(discover(mac(1)).build()));
            assertTrue(stderr.text().contains("192.0.2.20 is the fixed address of node n1 (52:54:00:00:00:01) in this"
                    + " server's inventory, but the shared lease store has it leased to 52:54:00:00:00:09"), stderr.text());
        }
    }

    @Test
    void aServerAloneDoesNotConsultTheStoreForItsOffers() {
        DhcpFixture alone = new DhcpFixture(settings("unknownClients", "allow"), LAB).start();
        // A lease of a client that has since moved: the book freed the address, the store's row lingers.
        alone.leases.preload(leaseOf(mac(9), FIRST));

        assertEquals(FIRST, only(OFFER, alone.handle(discover(mac(1)).build())).reply().yiaddr());
    }

    private static Lease leaseOf(HardwareAddress mac, Inet4Address address) {
        return Lease.of(id(mac), mac, address, START, START.plus(Duration.ofHours(1)), Lease.State.BOUND);
    }

    private static String id(HardwareAddress mac) {
        return DhcpProcessor.hardwareId(mac);
    }
}

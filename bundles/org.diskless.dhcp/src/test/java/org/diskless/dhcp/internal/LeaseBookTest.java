package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who holds which address: the only place that decides, so no address goes to two clients. */
class LeaseBookTest {

    private static final Instant NOW = Instant.parse("2025-03-01T08:00:00Z");
    private static final Duration HOLD = Duration.ofSeconds(60);
    private static final Inet4Address A = Addresses.parse("192.0.2.10");
    private static final Inet4Address B = Addresses.parse("192.0.2.11");
    private static final HardwareAddress MAC1 = DhcpFixture.mac(1);
    private static final HardwareAddress MAC2 = DhcpFixture.mac(2);

    private Subnet subnet;
    private LeaseBook book;

    @BeforeEach
    void twoAddresses() throws InvalidSettingException {
        subnet = Subnet.parse("lab", Config.of(Map.of("network", "192.0.2.0/24", "range", "192.0.2.10-192.0.2.11")));
        book = new LeaseBook();
        book.subnets(List.of(subnet));
    }

    private Optional<Inet4Address> offer(String client, HardwareAddress mac, Optional<Inet4Address> requested) {
        return book.offer(subnet, client, mac, requested, Optional.empty(), a -> true, Share.WHOLE, NOW, HOLD);
    }

    private void bind(String client, HardwareAddress mac, Inet4Address address, Instant expires) {
        assertEquals(Optional.empty(), book.reserve(subnet, client, mac, address, a -> true, expires));
        assertTrue(book.bound(Lease.of(client, mac, address, NOW, expires, Lease.State.BOUND)));
    }

    @Test
    void offerIsHeldForTheClientAndNoOneElse() {
        Inet4Address offered = offer("c1", MAC1, Optional.empty()).orElseThrow();

        assertEquals(Optional.of(offered), offer("c1", MAC1, Optional.empty()));
        Inet4Address other = offer("c2", MAC2, Optional.of(offered)).orElseThrow();
        assertFalse(other.equals(offered));
        assertEquals(Optional.empty(), offer("c3", DhcpFixture.mac(3), Optional.empty()));
    }

    @Test
    void reserveRefusesAnAddressHeldByAnotherClientOrOutsideThePool() {
        bind("c1", MAC1, A, NOW.plusSeconds(600));

        assertEquals(Optional.of(LeaseBook.Refusal.TAKEN), book.reserve(subnet, "c2", MAC2, A, a -> true, NOW));
        assertEquals(Optional.of(LeaseBook.Refusal.NOT_IN_POOL),
                book.reserve(subnet, "c2", MAC2, Addresses.parse("192.0.2.99"), a -> true, NOW));
        assertEquals(Optional.of(LeaseBook.Refusal.TAKEN), book.reserve(subnet, "c2", MAC2, B, a -> false, NOW),
                "an address the caller reserves for a node is not the client's either");
    }

    @Test
    void committingLeaseIsNeitherExpiredNorReleasedNorDeclined() {
        assertEquals(Optional.empty(), book.reserve(subnet, "c1", MAC1, A, a -> true, NOW));

        assertEquals(0, book.expire(NOW.plusSeconds(3600)));
        assertFalse(book.release("c1", Addresses.toInt(A)));
        assertEquals(LeaseBook.Decline.NOT_ACKNOWLEDGED, book.decline("c1", MAC1, Addresses.toInt(A), NOW.plusSeconds(60)));
        assertEquals(Binding.State.COMMITTING, book.bindingAt(Addresses.toInt(A)).orElseThrow().state());
    }

    @Test
    void failedWriteOfARenewalKeepsTheBoundLease() {
        bind("c1", MAC1, A, NOW.plusSeconds(600));
        Optional<Binding> before = book.bindingOf("c1");

        book.reserve(subnet, "c1", MAC1, A, a -> true, NOW.plusSeconds(3600));
        book.abandon("c1", Addresses.toInt(A), before);

        assertEquals(before, book.bindingOf("c1"));
    }

    @Test
    void failedWriteOfANewLeaseFreesTheAddress() {
        book.reserve(subnet, "c1", MAC1, A, a -> true, NOW.plusSeconds(600));

        book.abandon("c1", Addresses.toInt(A), Optional.empty());

        assertEquals(Optional.empty(), book.bindingOf("c1"));
        assertEquals(Optional.empty(), book.reserve(subnet, "c2", MAC2, A, a -> true, NOW.plusSeconds(600)));
    }

    @Test
    void durableLeaseForAnAddressNoLongerHeldIsNotBound() {
        book.reserve(subnet, "c1", MAC1, A, a -> true, NOW.plusSeconds(600));
        book.reserve(subnet, "c1", MAC1, B, a -> true, NOW.plusSeconds(600));

        assertFalse(book.bound(Lease.of("c1", MAC1, A, NOW, NOW.plusSeconds(600), Lease.State.BOUND)));
        assertTrue(book.bound(Lease.of("c1", MAC1, B, NOW, NOW.plusSeconds(600), Lease.State.BOUND)));
        assertEquals(Optional.empty(), book.bindingAt(Addresses.toInt(A)));
    }

    @Test
    void declinedAddressIsHeldByNobodyUntilItsTimeIsOver() {
        bind("c1", MAC1, A, NOW.plusSeconds(600));

        assertEquals(LeaseBook.Decline.QUARANTINED, book.decline("c1", MAC1, Addresses.toInt(A), NOW.plusSeconds(300)));

        assertEquals(Optional.empty(), book.bindingOf("c1"));
        assertEquals(Optional.of(LeaseBook.Refusal.TAKEN), book.reserve(subnet, "c1", MAC1, A, a -> true, NOW));
        assertEquals(1, book.expire(NOW.plusSeconds(300)));
        assertEquals(Optional.empty(), book.reserve(subnet, "c2", MAC2, A, a -> true, NOW.plusSeconds(900)));
    }

    @Test
    void anAddressOnlyOfferedCannotBeDeclined() {
        Inet4Address offered = offer("c1", MAC1, Optional.empty()).orElseThrow();

        assertEquals(LeaseBook.Decline.NOT_ACKNOWLEDGED,
                book.decline("c1", MAC1, Addresses.toInt(offered), NOW.plusSeconds(300)));

        assertEquals(Binding.State.OFFERED, book.bindingOf("c1").orElseThrow().state());
    }

    @Test
    void aClientKeepsAtMostTwoAddressesInQuarantineAndGivesBackTheNext() throws InvalidSettingException {
        Subnet four = Subnet.parse("lab",
                Config.of(Map.of("network", "192.0.2.0/24", "range", "192.0.2.10-192.0.2.13")));
        book.subnets(List.of(four));
        subnet = four;
        for (int i = 0; i < LeaseBook.MAX_DECLINED_PER_CLIENT; i++) {
            Inet4Address address = Addresses.parse("192.0.2.1" + i);
            bind("c1", MAC1, address, NOW.plusSeconds(600));
            assertEquals(LeaseBook.Decline.QUARANTINED,
                    book.decline("c1", MAC1, Addresses.toInt(address), NOW.plusSeconds(300)));
        }
        Inet4Address third = Addresses.parse("192.0.2.12");
        bind("c1-renamed", MAC1, third, NOW.plusSeconds(600));

        assertEquals(LeaseBook.Decline.RELEASED,
                book.decline("c1-renamed", MAC1, Addresses.toInt(third), NOW.plusSeconds(300)),
                "the same hardware address under another client id is the same client");
        assertEquals(Optional.empty(), book.bindingAt(Addresses.toInt(third)));
        assertEquals(Optional.empty(), book.reserve(subnet, "c2", MAC2, third, a -> true, NOW.plusSeconds(600)));
    }

    @Test
    void clearingDeclinesFreesTheOneNamedOrEveryOne() {
        bind("c1", MAC1, A, NOW.plusSeconds(600));
        bind("c2", MAC2, B, NOW.plusSeconds(600));
        book.decline("c1", MAC1, Addresses.toInt(A), NOW.plusSeconds(300));
        book.decline("c2", MAC2, Addresses.toInt(B), NOW.plusSeconds(300));

        assertEquals(List.of(), book.clearDeclines(Optional.of(Addresses.toInt(Addresses.parse("192.0.2.99")))));
        assertEquals(Addresses.toInt(A), book.clearDeclines(Optional.of(Addresses.toInt(A))).get(0).address());
        assertEquals(Optional.empty(), book.bindingAt(Addresses.toInt(A)));
        assertEquals(Binding.State.DECLINED, book.bindingAt(Addresses.toInt(B)).orElseThrow().state());
        assertEquals(1, book.clearDeclines(Optional.empty()).size());
        assertEquals(0, book.size());
    }

    @Test
    void releaseByAnotherClientChangesNothing() {
        bind("c1", MAC1, A, NOW.plusSeconds(600));

        assertFalse(book.release("c2", Addresses.toInt(A)));
        assertTrue(book.release("c1", Addresses.toInt(A)));
        assertEquals(Optional.empty(), book.bindingAt(Addresses.toInt(A)));
    }

    @Test
    void expiryFreesOffersAndLeasesWhoseTimeIsOver() {
        offer("c1", MAC1, Optional.of(A));
        bind("c2", MAC2, B, NOW.plusSeconds(600));

        assertEquals(1, book.expire(NOW.plus(HOLD)));
        assertEquals(Optional.empty(), book.bindingOf("c1"));
        assertEquals(1, book.expire(NOW.plusSeconds(600)));
        assertEquals(0, book.size());
    }

    @Test
    void restoreHoldsLiveLeasesAndDeclinesOnly() {
        book.restore(List.of(
                Lease.of("c1", MAC1, A, NOW.minusSeconds(60), NOW.plusSeconds(60), Lease.State.BOUND),
                Lease.of("c2", MAC2, B, NOW.minusSeconds(600), NOW.minusSeconds(1), Lease.State.BOUND)), NOW);

        assertEquals(Addresses.toInt(A), book.bindingOf("c1").orElseThrow().address());
        assertEquals(Optional.empty(), book.bindingOf("c2"));
        assertEquals(Optional.of(LeaseBook.Refusal.TAKEN), book.reserve(subnet, "c2", MAC2, A, a -> true, NOW));
    }

    @Test
    void newSubnetsKeepTheBindingsInsideThem() throws InvalidSettingException {
        bind("c1", MAC1, A, NOW.plusSeconds(600));
        Subnet wider = Subnet.parse("lab",
                Config.of(Map.of("network", "192.0.2.0/24", "range", "192.0.2.10-192.0.2.20")));

        book.subnets(List.of(wider));

        assertEquals(Optional.of(LeaseBook.Refusal.TAKEN), book.reserve(wider, "c2", MAC2, A, a -> true, NOW));
        AddressPool pool = book.pools().iterator().next();
        assertEquals(1, pool.takenCount());
    }
}

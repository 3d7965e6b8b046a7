package org.diskless.dhcp.internal;

import static org.diskless.dhcp.codec.DhcpMessageType.ACK;
import static org.diskless.dhcp.codec.DhcpMessageType.NAK;
import static org.diskless.dhcp.codec.DhcpMessageType.OFFER;
import static org.diskless.dhcp.internal.DhcpFixture.BROADCAST;
import static org.diskless.dhcp.internal.DhcpFixture.FAR;
import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.SERVER;
import static org.diskless.dhcp.internal.DhcpFixture.START;
import static org.diskless.dhcp.internal.DhcpFixture.decline;
import static org.diskless.dhcp.internal.DhcpFixture.discover;
import static org.diskless.dhcp.internal.DhcpFixture.initReboot;
import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.message;
import static org.diskless.dhcp.internal.DhcpFixture.only;
import static org.diskless.dhcp.internal.DhcpFixture.renew;
import static org.diskless.dhcp.internal.DhcpFixture.select;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.diskless.dhcp.internal.DhcpFixture.to;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;
import org.diskless.api.nodes.Node;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOp;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.dhcp.internal.DhcpFixture.Sent;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.junit.jupiter.api.Test;

/** Server mode: who gets which address, when, and where the answer goes (RFC 2131, RFC 2132). */
class DhcpProcessorTest {

    private static final Map<String, Object> ALLOW = settings("unknownClients", "allow");
    private static final Inet4Address FIRST = ip("192.0.2.100");
    private static final Inet4Address SECOND = ip("192.0.2.101");
    /** The boot network with a single dynamic address, so who holds it is plain to see. */
    private static final Map<String, Object> ONE_ADDRESS = Map.of("name", "lab", "network", "192.0.2.0/24",
            "range", "192.0.2.100");
    private static final Map<String, Object> HUNDRED_ADDRESSES = Map.of("name", "lab", "network", "192.0.2.0/24",
            "range", "192.0.2.100-192.0.2.199");
    private static final Map<String, Object> TWO_ADDRESSES = Map.of("name", "lab", "network", "192.0.2.0/24",
            "range", "192.0.2.100-192.0.2.101");

    // ---------------------------------------------------------------- who is served

    @Test
    void unknownClientGetsNoAnswerWhenUnknownClientsAreDenied() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "deny"), LAB).start();

        assertTrue(f.handle(discover(mac(1)).build()).isEmpty());
        assertTrue(f.handle(initReboot(mac(1), FIRST).build()).isEmpty());

        assertEquals(2, f.dropped(Drop.UNKNOWN_CLIENT));
        assertTrue(f.leases.pending().isEmpty());
    }

    @Test
    void unknownClientsAreDeniedUnlessTheOperatorAllowsThem() {
        DhcpFixture f = new DhcpFixture(settings(), LAB).start();

        assertTrue(f.handle(discover(mac(1)).build()).isEmpty());
    }

    @Test
    void inventoryNodeIsServedWhenUnknownClientsAreDenied() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "deny"), LAB).start();
        f.inventory.add(Node.of("n1", mac(1)));

        Sent offer = only(OFFER, f.handle(discover(mac(1)).build()));

        assertTrue(inLabPool(offer.reply().yiaddr()));
    }

    @Test
    void unknownClientIsServedWhenAllowed() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();

        Inet4Address leased = f.lease(mac(1));

        assertTrue(inLabPool(leased));
    }

    @Test
    void subnetRuleOnUnknownClientsOverridesTheServerRule() {
        Map<String, Object> open = new HashMap<>(LAB);
        open.put("unknownClients", "allow");
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "deny"), open).start();

        only(OFFER, f.handle(discover(mac(1)).build()));
    }

    @Test
    void withoutANodeDirectoryEveryClientIsUnknown() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "deny"), LAB).withoutNodeDirectory().start();
        f.inventory.add(Node.of("n1", mac(1)));

        assertTrue(f.handle(discover(mac(1)).build()).isEmpty());
    }

    // ---------------------------------------------------------------- DISCOVER

    @Test
    void discoverIsOfferedAPoolAddressWithTheOptionsEveryOfferCarries() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        DhcpMessage discover = discover(mac(1)).xid(0x2a2b2c2d).secs(4).build();

        Sent sent = only(OFFER, f.handle(discover));

        DhcpMessage offer = sent.reply();
        assertEquals(DhcpOp.BOOTREPLY, offer.op());
        assertEquals(0x2a2b2c2d, offer.xid());
        assertArrayEquals(discover.chaddr(), offer.chaddr());
        assertEquals(discover.hardwareAddress(), offer.hardwareAddress());
        assertTrue(inLabPool(offer.yiaddr()), offer.yiaddr().toString());
        assertEquals(ip("0.0.0.0"), offer.ciaddr());
        DhcpOptions options = offer.options();
        assertEquals(Optional.of(SERVER), options.serverIdentifier());
        assertEquals(OptionalLong.of(3600), options.leaseTime());
        assertEquals(OptionalLong.of(1800), options.renewalTime(), "T1 is half the lease (RFC 2131 4.4.5)");
        assertEquals(OptionalLong.of(3150), options.rebindingTime(), "T2 is 7/8 of the lease (RFC 2131 4.4.5)");
        assertEquals(Optional.of(ip("255.255.255.0")), options.subnetMask());
        assertEquals(new InetSocketAddress(BROADCAST, 68), sent.recipient());
        assertTrue(f.leases.pending().isEmpty(), "an offer is not a lease: nothing is written");
    }

    @Test
    void offersPreferAddressesThatWereNeverHandedOut() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB);
        f.leases.preload(
                released(mac(90), "192.0.2.100"), released(mac(91), "192.0.2.101"), released(mac(92), "192.0.2.102"));
        f.start();

        Set<Inet4Address> offered = new HashSet<>();
        for (int client = 1; client <= 7; client++) {
            offered.add(only(OFFER, f.handle(discover(mac(client)).build())).reply().yiaddr());
        }

        assertEquals(Set.of(ip("192.0.2.103"), ip("192.0.2.104"), ip("192.0.2.105"), ip("192.0.2.106"),
                ip("192.0.2.107"), ip("192.0.2.108"), ip("192.0.2.109")), offered);
    }

    @Test
    void anAddressGivenBackIsNotTheNextOneOfferedWhileNeverUsedOnesRemain() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Inet4Address first = f.lease(mac(1));
        f.handle(message(DhcpMessageType.RELEASE, mac(1)).ciaddr(first)
                .options(o -> o.serverIdentifier(SERVER)).build());

        Inet4Address next = only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr();

        assertNotEquals(first, next);
    }

    @Test
    void repeatedDiscoverIsOfferedTheSameAddress() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();

        Inet4Address first = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();
        Inet4Address again = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();

        assertEquals(first, again);
    }

    @Test
    void requestedAddressIsOfferedWhenFree() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();

        Sent offer = only(OFFER, f.handle(discover(mac(1))
                .options(o -> o.requestedIpAddress(ip("192.0.2.107"))).build()));

        assertEquals(ip("192.0.2.107"), offer.reply().yiaddr());
    }

    @Test
    void offerIsHeldOnlyForTheOfferHold() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "offerHold", "30"), ONE_ADDRESS).start();
        only(OFFER, f.handle(discover(mac(1)).build()));
        assertTrue(f.handle(discover(mac(2)).build()).isEmpty(), "held for the first client");

        f.clock.advance(Duration.ofSeconds(30));
        f.processor().expire();

        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr());
    }

    // ---------------------------------------------------------------- REQUEST and the lease store

    @Test
    void selectingRequestIsAcknowledgedOnlyAfterTheLeaseIsDurable() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Inet4Address offered = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();

        assertTrue(f.handle(select(mac(1), offered, SERVER).build()).isEmpty(), "no ACK before the commit");
        assertEquals(1, f.leases.pending().size());
        Lease written = f.leases.pending().get(0).lease();
        assertEquals(Lease.of("01:52:54:00:00:00:01", mac(1), offered, START, START.plusSeconds(3600),
                Lease.State.BOUND), written);
        assertTrue(f.loop.isIdle());
        assertEquals(0, f.statistics.durations().get("lease_commits").count(), "not durable yet");

        assertSame(f.loop, f.leases.pending().get(0).completeOn(), "the store completes the commit on the event loop");
        f.leases.completeNext();
        assertEquals(1, f.sent().size(), "the ACK is sent from the event loop, not the store's thread");

        assertEquals(1, f.loop.runPending(), "one task of the loop completes the lease and sends its ACK");
        assertEquals(1, f.statistics.durations().get("lease_commits").count(), "the commit's latency is counted");
        Sent ack = only(ACK, f.sent().subList(1, f.sent().size()));
        assertEquals(offered, ack.reply().yiaddr());
        assertEquals(Optional.of(SERVER), ack.reply().options().serverIdentifier());
        assertEquals(OptionalLong.of(3600), ack.reply().options().leaseTime());
        assertEquals(new InetSocketAddress(BROADCAST, 68), ack.recipient());
        assertEquals(1L, f.statistics.snapshot().sent().get(ACK));
    }

    @Test
    void aStoreThatRecordsAShorterLeaseGetsTheClientTheShorterTime() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Inet4Address offered = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();
        f.handle(select(mac(1), offered, SERVER).build());
        Lease asked = f.leases.pending().get(0).lease();

        f.leases.completeNextAs(Lease.of(asked.clientId(), asked.hardwareAddress(), asked.address(), asked.start(),
                START.plusSeconds(600), Lease.State.BOUND));
        f.loop.runPending();

        Sent ack = only(ACK, f.sent().subList(1, f.sent().size()));
        assertEquals(OptionalLong.of(600), ack.reply().options().leaseTime());
        assertEquals(OptionalLong.of(300), ack.reply().options().renewalTime());
    }

    @Test
    void clientIdentifierOptionNamesTheLease() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        byte[] id = {0, 'n', 'o', 'd', 'e'};
        Inet4Address offered = only(OFFER, f.handle(discover(mac(1))
                .options(o -> o.clientIdentifier(id)).build())).reply().yiaddr();

        f.handle(select(mac(1), offered, SERVER).options(o -> o.clientIdentifier(id)).build());

        assertEquals("00:6e:6f:64:65", f.leases.pending().get(0).lease().clientId());
    }

    @Test
    void twoMacsSendingOneClientIdShareItsLeaseAndTheLogSaysSoOncePerPair() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        byte[] cloned = {(byte) 0xff, 0, 0, 0, 7, 0, 1, 0x2a};
        Inet4Address first;
        String log;
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            first = f.lease(mac(1), cloned);
            for (int i = 0; i < 3; i++) {
                assertEquals(first, f.lease(mac(2), cloned), "RFC 2131: option 61 names the lease");
                assertEquals(first, f.lease(mac(1), cloned));
            }
            log = stderr.text();
        }

        assertEquals(1, log.lines().filter(l -> l.contains("Client id ff:00:00:00:07:00:01:2a comes from")).count(), log);
        assertTrue(log.contains(mac(1) + " and from " + mac(2)) || log.contains(mac(2) + " and from " + mac(1)), log);
        assertTrue(log.contains("leaseKey = mac"), log);
    }

    @Test
    void withLeasesKeyedByMacTwoMacsSendingOneClientIdGetAnAddressEach() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "leaseKey", "mac"), LAB).start();
        byte[] cloned = {(byte) 0xff, 0, 0, 0, 7, 0, 1, 0x2a};

        Inet4Address first = f.lease(mac(1), cloned);
        Inet4Address second = f.lease(mac(2), cloned);

        assertNotEquals(first, second);
        assertEquals(first, f.lease(mac(1), cloned), "each keeps its own on renewal");
        assertEquals(DhcpProcessor.hardwareId(mac(2)), f.leases.byAddress(second).orElseThrow().clientId());
    }

    @Test
    void everyReplyEchoesTheClientIdentifierUnaltered() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        byte[] id = {(byte) 0xff, 0, 0, 0, 1, 0, 1, 0x2a};
        Sent offer = only(OFFER, f.handle(discover(mac(1)).options(o -> o.clientIdentifier(id)).build()));
        f.handle(select(mac(1), offer.reply().yiaddr(), SERVER).options(o -> o.clientIdentifier(id)).build());
        Sent ack = only(ACK, f.settle());
        byte[] otherId = {1, 0x52, 0x54, 0, 0, 0, 2};
        Sent nak = only(NAK, f.handle(initReboot(mac(2), ack.reply().yiaddr())
                .options(o -> o.clientIdentifier(otherId)).build()));

        for (Sent reply : List.of(offer, ack)) {
            assertArrayEquals(id, reply.reply().options().clientIdentifier().orElseThrow(),
                    () -> "RFC 6842: " + reply.type() + " carries option 61 back");
        }
        assertArrayEquals(otherId, nak.reply().options().clientIdentifier().orElseThrow(), "RFC 6842: NAK too");
        assertFalse(only(OFFER, f.handle(discover(mac(2)).build())).reply().options()
                .contains(DhcpOptions.CLIENT_IDENTIFIER), "nothing to echo: none is made up");
    }

    @Test
    void failedCommitSendsNoAckAndFreesTheAddress() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS).start();
        only(OFFER, f.handle(discover(mac(1)).build()));
        f.handle(select(mac(1), FIRST, SERVER).build());

        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            f.leases.failNext(new java.io.IOException("No space left on device"));
            f.loop.runPending();
            assertTrue(stderr.text().contains("could not be made durable, so it was not acknowledged: No space left on"
                    + " device\n"), () -> "the store's words, not the future's wrapping:\n" + stderr.text());
        }

        assertEquals(List.of(OFFER), f.sent().stream().map(Sent::type).toList());
        assertEquals(1, f.dropped(Drop.LEASE_WRITE_FAILED));
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr());
    }

    @Test
    void commitRefusedOutrightSendsNoAck() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS).start();
        only(OFFER, f.handle(discover(mac(1)).build()));
        f.leases.refuseCommits(new IllegalStateException("lease store closed"));

        assertTrue(f.handle(select(mac(1), FIRST, SERVER).build()).isEmpty());
        f.loop.runPending();

        assertEquals(List.of(OFFER), f.sent().stream().map(Sent::type).toList());
        assertEquals(1, f.dropped(Drop.LEASE_WRITE_FAILED));
    }

    @Test
    void failedRenewalKeepsTheLeaseTheClientHad() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS).start();
        f.lease(mac(1));
        f.handle(renew(mac(1), FIRST).build(), to("192.0.2.100", 68), false);

        f.leases.failNext(new java.io.IOException("I/O error"));
        f.loop.runPending();

        assertTrue(f.handle(discover(mac(2)).build()).isEmpty(), "the first client still holds its lease");
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr());
    }

    @Test
    void ackIsNeverSentForAnAddressTheServerNoLongerHoldsForTheClient() {
        DhcpFixture f = new DhcpFixture(ALLOW, TWO_ADDRESSES).start();
        f.handle(initReboot(mac(1), FIRST).build());
        f.handle(initReboot(mac(1), FIRST).build());

        // The first write fails, which frees the address; the retransmission's write succeeds
        // afterwards. Acknowledging then would hand out an address another client may get next.
        f.leases.failNext(new java.io.IOException("I/O error"));
        f.loop.runPending();
        f.leases.completeNext();
        f.loop.runPending();

        assertTrue(f.sent().isEmpty(), () -> "sent " + f.sent());
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).options(o -> o.requestedIpAddress(FIRST)).build()))
                .reply().yiaddr());
    }

    @Test
    void ackOfAnAddressTheClientGaveUpBeforeItsCommitCompletedIsNotSent() {
        DhcpFixture f = new DhcpFixture(ALLOW, TWO_ADDRESSES).start();
        f.handle(initReboot(mac(1), FIRST).build());
        f.handle(initReboot(mac(1), SECOND).build());

        List<Sent> replies = f.settle();

        assertEquals(SECOND, only(ACK, replies).reply().yiaddr());
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr());
    }

    @Test
    void nodeWithAFixedAddressGetsThatAddress() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "deny"), LAB).start();
        f.inventory.add(fixed("n1", mac(1), "192.0.2.20"));

        Sent offer = only(OFFER, f.handle(discover(mac(1)).build()));
        assertEquals(ip("192.0.2.20"), offer.reply().yiaddr());
        List<Sent> replies = new ArrayList<>(f.handle(select(mac(1), ip("192.0.2.20"), SERVER).build()));
        replies.addAll(f.settle());

        assertEquals(ip("192.0.2.20"), only(ACK, replies).reply().yiaddr());
    }

    @Test
    void nodeWithAFixedAddressIsRefusedAnyOtherAddress() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "deny"), LAB).start();
        f.inventory.add(fixed("n1", mac(1), "192.0.2.20"));

        only(NAK, f.handle(initReboot(mac(1), FIRST).build()));
    }

    @Test
    void anotherNodesFixedAddressIsNeverHandedOutFromThePool() {
        DhcpFixture f = new DhcpFixture(ALLOW, TWO_ADDRESSES).start();
        f.inventory.add(fixed("n2", mac(2), "192.0.2.100"));

        assertEquals(SECOND, f.lease(mac(1)));
        assertTrue(f.handle(discover(mac(3)).options(o -> o.requestedIpAddress(FIRST)).build()).isEmpty());
        assertEquals(1, f.dropped(Drop.POOL_EXHAUSTED));
        only(NAK, f.handle(initReboot(mac(3), FIRST).build()));
        only(NAK, f.handle(select(mac(3), FIRST, SERVER).build()));
        assertTrue(f.leases.pending().isEmpty());
    }

    @Test
    void requestForAnAddressLeasedToAnotherClientIsNaked() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Inet4Address taken = f.lease(mac(1));

        Sent nak = only(NAK, f.handle(initReboot(mac(2), taken).build()));

        assertEquals(new InetSocketAddress(BROADCAST, 68), nak.recipient(), "RFC 2131 4.1: NAKs are broadcast");
        assertEquals(ip("0.0.0.0"), nak.reply().yiaddr());
        assertEquals(Optional.of(SERVER), nak.reply().options().serverIdentifier());
        assertTrue(nak.reply().options().contains(DhcpOptions.MESSAGE));
        assertFalse(nak.reply().options().contains(DhcpOptions.LEASE_TIME), "RFC 2131 table 3");
        only(NAK, f.handle(select(mac(2), taken, SERVER).build()));
        assertTrue(f.leases.pending().isEmpty());

        f.handle(renew(mac(1), taken).build(), new InetSocketAddress(taken, 68), false);
        assertEquals(taken, only(ACK, f.settle()).reply().yiaddr());
    }

    @Test
    void initRebootWithAnAddressFromAnotherNetworkIsNaked() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();

        Sent nak = only(NAK, f.handle(initReboot(mac(1), ip("198.18.21.7")).build()));

        assertEquals(new InetSocketAddress(BROADCAST, 68), nak.recipient());
        assertTrue(f.leases.pending().isEmpty());
    }

    @Test
    void serverThatIsNotAuthoritativeStaysSilentAboutForeignAddresses() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "authoritative", "false"), LAB).start();

        assertTrue(f.handle(initReboot(mac(1), ip("198.18.21.7")).build()).isEmpty());
        assertTrue(f.handle(initReboot(mac(1), FIRST).build()).isEmpty(), "RFC 2131 4.3.2: no record, silent");
    }

    @Test
    void requestNamingAnotherServerWithdrawsTheOfferSilently() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS).start();
        only(OFFER, f.handle(discover(mac(1)).build()));

        assertTrue(f.handle(select(mac(1), FIRST, ip("192.0.2.99")).build()).isEmpty());

        assertEquals(1, f.dropped(Drop.OTHER_SERVER));
        assertTrue(f.leases.pending().isEmpty());
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr());
    }

    @Test
    void requestNamingAnotherServerLeavesABoundLeaseAlone() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS).start();
        f.lease(mac(1));

        assertTrue(f.handle(select(mac(1), FIRST, ip("192.0.2.99")).build()).isEmpty());

        assertTrue(f.handle(discover(mac(2)).build()).isEmpty());
    }

    // ---------------------------------------------------------------- one address, one client

    @Test
    void poolExhaustionMeansNoOfferAndNoAddressTwice() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Set<Inet4Address> leased = new HashSet<>();

        for (int client = 1; client <= 25; client++) {
            List<Sent> replies = f.handle(discover(mac(client)).build());
            if (client <= 10) {
                Inet4Address offered = only(OFFER, replies).reply().yiaddr();
                f.handle(select(mac(client), offered, SERVER).build());
                assertTrue(leased.add(only(ACK, f.settle()).reply().yiaddr()));
            } else {
                assertTrue(replies.isEmpty(), "client " + client + " got " + replies);
            }
        }

        assertEquals(10, leased.size());
        assertTrue(leased.stream().allMatch(DhcpProcessorTest::inLabPool));
        assertEquals(15, f.dropped(Drop.POOL_EXHAUSTED));
    }

    @Test
    void offersInFlightAreNeverTheSameAddress() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Set<Inet4Address> offered = new HashSet<>();

        for (int client = 1; client <= 12; client++) {
            f.handle(discover(mac(client)).build()).forEach(s -> assertTrue(offered.add(s.reply().yiaddr())));
        }

        assertEquals(10, offered.size());
    }

    /**
     * Thirty clients and ten addresses, a seeded random mix of DISCOVER/REQUEST, INIT-REBOOT for
     * any address, renewals, releases, declines, failed and slow lease writes and time passing:
     * no ACK ever names an address another client still holds.
     */
    @Test
    void noAddressIsEverAcknowledgedToTwoClients() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "leaseTime", "600",
                "declineHold", "300"), LAB).start();
        Random random = new Random(2131);
        Map<Inet4Address, Held> held = new HashMap<>();
        Map<HardwareAddress, Inet4Address> offers = new HashMap<>();
        int acks = 0;

        for (int step = 0; step < 4000; step++) {
            HardwareAddress client = mac(1 + random.nextInt(30));
            Optional<Inet4Address> own = held.entrySet().stream().filter(e -> e.getValue().client.equals(client))
                    .map(Map.Entry::getKey).findFirst();
            List<Sent> replies = new ArrayList<>();
            Instant sentAt = f.clock.get();
            switch (random.nextInt(9)) {
                case 0, 1 -> f.handle(discover(client).build())
                        .forEach(s -> offers.put(client, s.reply().yiaddr()));
                case 2 -> {
                    if (offers.containsKey(client)) {
                        Inet4Address chosen = offers.remove(client);
                        givesUpOthers(held, client, chosen);
                        replies.addAll(f.handle(select(client, chosen, SERVER).build()));
                    }
                }
                case 3 -> {
                    Inet4Address remembered = ip("192.0.2." + (100 + random.nextInt(10)));
                    givesUpOthers(held, client, remembered);
                    replies.addAll(f.handle(initReboot(client, remembered).build()));
                }
                case 4 -> own.ifPresent(a -> replies.addAll(f.handle(renew(client, a).build(),
                        new InetSocketAddress(a, 68), false)));
                case 5 -> own.ifPresent(a -> {
                    f.handle(message(DhcpMessageType.RELEASE, client).ciaddr(a)
                            .options(o -> o.serverIdentifier(SERVER)).build());
                    held.remove(a);
                });
                case 6 -> {
                    if (offers.containsKey(client)) {
                        Inet4Address declined = offers.remove(client);
                        held.computeIfPresent(declined, (a, h) -> h.client.equals(client) ? null : h);
                        f.handle(message(DhcpMessageType.DECLINE, client)
                                .options(o -> o.requestedIpAddress(declined).serverIdentifier(SERVER)).build());
                    }
                }
                case 7 -> {
                    if (!f.leases.pending().isEmpty() && random.nextInt(4) == 0) {
                        f.leases.failNext(new java.io.IOException("write failed"));
                        f.loop.runPending();
                    }
                }
                default -> {
                    replies.addAll(f.settle());
                    if (random.nextInt(3) == 0) {
                        f.clock.advance(Duration.ofSeconds(120));
                        f.processor().expire();
                    }
                }
            }
            for (Sent reply : replies) {
                HardwareAddress to = reply.reply().hardwareAddress().orElseThrow();
                if (reply.type() == NAK) {
                    held.values().removeIf(h -> h.client.equals(to));
                }
                if (reply.type() != ACK) {
                    continue;
                }
                acks++;
                Inet4Address address = reply.reply().yiaddr();
                Held holder = held.get(address);
                int at = step;
                assertTrue(holder == null || holder.client.equals(to) || !sentAt.isBefore(holder.until),
                        () -> "step " + at + ": " + address + " acknowledged to " + to + " while " + holder.client
                                + " holds it until " + holder.until);
                held.values().removeIf(h -> h.client.equals(to));
                held.put(address, new Held(to, sentAt.plusSeconds(reply.reply().options().leaseTime().orElseThrow())));
            }
        }
        assertTrue(acks > 200, "the mix must actually lease addresses, got " + acks);
    }

    private record Held(HardwareAddress client, Instant until) {
    }

    /** A client asking for {@code wanted} (SELECTING, INIT-REBOOT) no longer uses any other address. */
    private static void givesUpOthers(Map<Inet4Address, Held> held, HardwareAddress client, Inet4Address wanted) {
        held.entrySet().removeIf(e -> e.getValue().client.equals(client) && !e.getKey().equals(wanted));
    }

    // ---------------------------------------------------------------- DECLINE, RELEASE, INFORM, renew

    @Test
    void declinedAddressIsKeptOutOfThePoolForTheDeclineHold() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "declineHold", "600"), ONE_ADDRESS).start();
        f.lease(mac(1));

        assertTrue(f.handle(decline(mac(1), FIRST).build()).isEmpty());

        Lease recorded = f.leases.pending().get(0).lease();
        assertEquals(Lease.State.DECLINED, recorded.state());
        assertEquals(START.plusSeconds(600), recorded.expires());
        assertTrue(f.handle(discover(mac(1)).build()).isEmpty(), "not even to the client that declined it");
        assertTrue(f.handle(discover(mac(2)).options(o -> o.requestedIpAddress(FIRST)).build()).isEmpty());
        only(NAK, f.handle(initReboot(mac(2), FIRST).build()));

        f.clock.advance(Duration.ofSeconds(599));
        f.processor().expire();
        assertTrue(f.handle(discover(mac(2)).build()).isEmpty());
        f.clock.advance(Duration.ofSeconds(1));
        f.processor().expire();
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr());
    }

    @Test
    void declineOfALeasedAddressTakesItOutAsWell() {
        DhcpFixture f = new DhcpFixture(ALLOW, TWO_ADDRESSES).start();
        Inet4Address leased = f.lease(mac(1));

        f.handle(decline(mac(1), leased).build());

        Inet4Address next = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();
        assertNotEquals(leased, next);
        assertTrue(f.handle(discover(mac(2)).build()).isEmpty());
    }

    @Test
    void declineByAClientThatDoesNotHoldTheAddressIsIgnored() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS).start();
        f.lease(mac(1));

        f.handle(decline(mac(2), FIRST).build());

        assertEquals(1, f.dropped(Drop.DECLINE_REFUSED));
        f.handle(renew(mac(1), FIRST).build(), to("192.0.2.100", 68), false);
        only(ACK, f.settle());
    }

    @Test
    void aClientLoopingDiscoverOfferDeclineKeepsNoAddressFromOthers() {
        DhcpFixture f = new DhcpFixture(ALLOW, HUNDRED_ADDRESSES).start();

        for (int i = 0; i < 100; i++) {
            Inet4Address offered = only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr();
            assertTrue(f.handle(decline(mac(1), offered).build()).isEmpty());
        }

        assertEquals(100, f.dropped(Drop.DECLINE_REFUSED), "an offer is not the client's to decline");
        assertEquals(0, declined(f));
        assertTrue(f.leases.pending().isEmpty(), "nothing recorded that a restart would bring back");
    }

    @Test
    void aKnownClientLoopingThroughAcksAndDeclinesKeepsAtMostTwoAddressesFromOthers() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "deny"), HUNDRED_ADDRESSES).start();
        f.inventory.add(Node.of("n1", mac(1)));
        f.inventory.add(Node.of("n2", mac(2)));

        for (int i = 0; i < 50; i++) {
            Inet4Address leased = f.lease(mac(1));
            f.handle(decline(mac(1), leased).build());
            f.settle();
        }

        assertEquals(LeaseBook.MAX_DECLINED_PER_CLIENT, declined(f));
        assertEquals(50 - LeaseBook.MAX_DECLINED_PER_CLIENT, f.dropped(Drop.DECLINE_REFUSED));
        assertEquals(LeaseBook.MAX_DECLINED_PER_CLIENT, f.leases.leases().stream()
                .filter(l -> l.state() == Lease.State.DECLINED).count(), "what a restart brings back");
        f.lease(mac(2));
    }

    @Test
    void declinesRecordedBeforeARestartCountTowardsTheClientsLimit() {
        DhcpFixture f = new DhcpFixture(ALLOW, HUNDRED_ADDRESSES);
        for (int i = 0; i < LeaseBook.MAX_DECLINED_PER_CLIENT; i++) {
            f.leases.preload(Lease.of("01:52:54:00:00:00:01", mac(1), ip("192.0.2.19" + i), START.minusSeconds(60),
                    START.plusSeconds(3000), Lease.State.DECLINED));
        }
        f.start();
        Inet4Address leased = f.lease(mac(1));

        f.handle(decline(mac(1), leased).build());

        assertEquals(Lease.State.RELEASED, f.leases.pending().get(0).lease().state());
        assertEquals(LeaseBook.MAX_DECLINED_PER_CLIENT, declined(f));
    }

    @Test
    void clearedDeclinesAreBackInThePoolAndStayThereAfterARestart() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS).start();
        f.lease(mac(1));
        f.handle(decline(mac(1), FIRST).build());
        f.settle();

        assertEquals(List.of(), f.processor().clearDeclines(Optional.of(SECOND)));
        List<Binding> cleared = f.processor().clearDeclines(Optional.of(FIRST));
        f.settle();

        assertEquals(1, cleared.size());
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr());
        DhcpFixture restarted = new DhcpFixture(ALLOW, ONE_ADDRESS);
        restarted.leases.preload(f.leases.leases().toArray(Lease[]::new));
        restarted.start();
        assertEquals(FIRST, only(OFFER, restarted.handle(discover(mac(2)).build())).reply().yiaddr());
    }

    private static long declined(DhcpFixture f) {
        return f.processor().book().bindings().stream().filter(b -> b.state() == Binding.State.DECLINED).count();
    }

    @Test
    void releasedAddressIsFreeForTheNextClient() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS).start();
        f.lease(mac(1));
        assertTrue(f.handle(discover(mac(2)).build()).isEmpty());

        assertTrue(f.handle(message(DhcpMessageType.RELEASE, mac(1)).ciaddr(FIRST)
                .options(o -> o.serverIdentifier(SERVER)).build(), to("192.0.2.100", 68), false).isEmpty());

        assertEquals(Lease.State.RELEASED, f.leases.pending().get(0).lease().state());
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr());
    }

    @Test
    void releaseByAClientThatDoesNotHoldTheAddressChangesNothing() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS).start();
        f.lease(mac(1));

        f.handle(message(DhcpMessageType.RELEASE, mac(2)).ciaddr(FIRST).options(o -> o.serverIdentifier(SERVER)).build());

        assertEquals(1, f.dropped(Drop.IGNORED));
        assertTrue(f.leases.pending().isEmpty());
        assertTrue(f.handle(discover(mac(3)).build()).isEmpty());
    }

    @Test
    void informIsAcknowledgedWithConfigurationButNoAddressOrLeaseTime() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Inet4Address configured = ip("192.0.2.77");

        Sent sent = only(ACK, f.handle(message(DhcpMessageType.INFORM, mac(1)).ciaddr(configured).build(),
                new InetSocketAddress(configured, 68), false));

        DhcpMessage ack = sent.reply();
        assertEquals(new InetSocketAddress(configured, 68), sent.recipient(), "RFC 2131 4.3.5: to ciaddr");
        assertEquals(ip("0.0.0.0"), ack.yiaddr());
        assertEquals(configured, ack.ciaddr());
        assertFalse(ack.options().contains(DhcpOptions.LEASE_TIME), "RFC 2131 4.3.5: no lease time");
        assertFalse(ack.options().contains(DhcpOptions.RENEWAL_TIME));
        assertFalse(ack.options().contains(DhcpOptions.REBINDING_TIME));
        assertEquals(Optional.of(SERVER), ack.options().serverIdentifier());
        assertEquals(Optional.of(ip("255.255.255.0")), ack.options().subnetMask());
        assertEquals(List.of(ip("192.0.2.254")), ack.options().routers());
        assertTrue(f.leases.pending().isEmpty());
    }

    @Test
    void informFromAnAddressOutsideEverySubnetGetsNothing() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Inet4Address foreign = ip("203.0.113.5");

        assertTrue(f.handle(message(DhcpMessageType.INFORM, mac(1)).ciaddr(foreign).build(),
                new InetSocketAddress(foreign, 68), false).isEmpty(), "not even on the boot network");
        assertTrue(f.handle(message(DhcpMessageType.INFORM, mac(1)).build()).isEmpty(), "an INFORM names its address");

        assertEquals(2, f.dropped(Drop.NO_SUBNET));
    }

    // ---------------------------------------------------------------- other networks ('interface' set)

    @Test
    void requestsFromMadeUpRelaysCostOneLogLineNotOneEach() throws Exception {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        String log;
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            for (int i = 0; i < 1000; i++) {
                Inet4Address relay = ip("198.19." + (i / 250) + "." + (1 + i % 250));
                assertTrue(f.handle(discover(mac(i)).giaddr(relay).hops(1).build()).isEmpty());
            }
            log = stderr.text();
        }

        assertEquals(1000, f.dropped(Drop.NO_SUBNET));
        assertEquals(1, log.lines().filter(l -> l.contains("No subnet configured")).count(), log);
    }

    @Test
    void broadcastFromAnotherNetworkReservesNothing() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "interface", "eth0"), ONE_ADDRESS).start();

        assertTrue(f.handleFromAnotherNetwork(discover(mac(1)).build(), DhcpFixture.UNCONFIGURED_CLIENT).isEmpty());
        assertTrue(f.handleFromAnotherNetwork(initReboot(mac(1), FIRST).build(), DhcpFixture.UNCONFIGURED_CLIENT)
                .isEmpty(), "nor is a client from there told its address is wrong");

        assertEquals(2, f.dropped(Drop.NO_SUBNET));
        assertEquals(0, f.processor().book().size());
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr(),
                "the boot network's client still gets the one address");
    }

    @Test
    void relaysAndRenewalsFromOtherNetworksAreServed() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "interface", "eth0"), LAB, FAR).start();
        Inet4Address relay = ip("198.18.20.1");
        Inet4Address leased = f.lease(mac(1));

        only(OFFER, f.handleFromAnotherNetwork(discover(mac(2)).giaddr(relay).hops(1).build(),
                new InetSocketAddress(relay, 67)));
        f.handleFromAnotherNetwork(renew(mac(1), leased).build(), new InetSocketAddress(leased, 68));
        only(ACK, f.settle());
    }

    @Test
    void renewingClientIsAcknowledgedByUnicastToItsAddress() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Inet4Address leased = f.lease(mac(1));
        f.clock.advance(Duration.ofMinutes(30));

        assertTrue(f.handle(renew(mac(1), leased).build(), new InetSocketAddress(leased, 68), false).isEmpty());
        assertEquals(f.clock.get().plusSeconds(3600), f.leases.pending().get(0).lease().expires());

        Sent ack = only(ACK, f.settle());
        assertEquals(new InetSocketAddress(leased, 68), ack.recipient(), "RFC 2131 4.1: unicast to ciaddr");
        assertEquals(leased, ack.reply().yiaddr());
    }

    @Test
    void renewalOfAnAddressThisServerNeverLeasedIsNaked() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();
        Inet4Address taken = f.lease(mac(1));

        Sent nak = only(NAK, f.handle(renew(mac(2), taken).build(), new InetSocketAddress(taken, 68), false));

        assertEquals(new InetSocketAddress(BROADCAST, 68), nak.recipient(), "NAKs are broadcast even on renewal");
    }

    // ---------------------------------------------------------------- relays and where replies go

    @Test
    void relayedDiscoverIsServedFromTheRelaysSubnetAndAnsweredToTheRelay() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB, FAR).start();
        byte[] circuit = {1, 4, 'e', 't', 'h', '3', 2, 2, 0x12, 0x34};
        Inet4Address relay = ip("198.18.20.1");

        Sent offer = only(OFFER, f.handle(discover(mac(1)).giaddr(relay).hops(1)
                .options(o -> o.relayAgentInformation(circuit)).build(), new InetSocketAddress(relay, 67), false));

        assertEquals(new InetSocketAddress(relay, 67), offer.recipient(), "RFC 2131 4.1: to the relay, port 67");
        assertEquals(relay, offer.reply().giaddr());
        assertTrue(Addresses.toInt(offer.reply().yiaddr()) >= Addresses.toInt(ip("198.18.20.50"))
                && Addresses.toInt(offer.reply().yiaddr()) <= Addresses.toInt(ip("198.18.20.59")), offer.reply().yiaddr()
                .toString());
        assertArrayEquals(circuit, offer.reply().options().relayAgentInformation().orElseThrow(), "RFC 3046 2.2");
        assertEquals(List.of(relay), offer.reply().options().routers());

        f.handle(select(mac(1), offer.reply().yiaddr(), SERVER).giaddr(relay)
                .options(o -> o.relayAgentInformation(circuit)).build(), new InetSocketAddress(relay, 67), false);
        Sent ack = only(ACK, f.settle());
        assertEquals(new InetSocketAddress(relay, 67), ack.recipient());
        assertArrayEquals(circuit, ack.reply().options().relayAgentInformation().orElseThrow());
    }

    @Test
    void nakToARelayedClientGoesToTheRelayWithTheBroadcastBit() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB, FAR).start();
        Inet4Address relay = ip("198.18.20.1");

        Sent nak = only(NAK, f.handle(initReboot(mac(1), FIRST).giaddr(relay).build(),
                new InetSocketAddress(relay, 67), false));

        assertEquals(new InetSocketAddress(relay, 67), nak.recipient());
        assertTrue(nak.reply().isBroadcast(), "RFC 2131 4.3.2: the relay must broadcast the NAK");
    }

    @Test
    void relayFromANetworkWithoutASubnetGetsNoAnswer() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB, FAR).start();

        assertTrue(f.handle(discover(mac(1)).giaddr(ip("198.18.30.1")).build()).isEmpty());

        assertEquals(1, f.dropped(Drop.NO_SUBNET));
    }

    @Test
    void repliesToAClientWithoutAnAddressAreBroadcast() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();

        Sent flagged = only(OFFER, f.handle(discover(mac(1)).broadcast(true).build()));
        Sent unflagged = only(OFFER, f.handle(discover(mac(2)).build()));

        assertEquals(new InetSocketAddress(BROADCAST, 68), flagged.recipient());
        assertTrue(flagged.reply().isBroadcast(), "RFC 2131 table 3: flags from the request");
        // Without the flag RFC 2131 4.1 asks for a unicast to yiaddr, which needs an ARP entry a
        // Java socket cannot make; it allows the broadcast instead.
        assertEquals(new InetSocketAddress(BROADCAST, 68), unflagged.recipient());
        assertFalse(unflagged.reply().isBroadcast());
    }

    @Test
    void repliesGoToTheConfiguredClientPort() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "clientPort", "1068"), LAB).start();

        assertEquals(new InetSocketAddress(BROADCAST, 1068), only(OFFER, f.handle(discover(mac(1)).build())).recipient());
    }

    // ---------------------------------------------------------------- options

    @Test
    void optionsBeyondTheMandatoryOnesComeOnlyWhenAsked() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();

        DhcpOptions routerOnly = only(OFFER, f.handle(discover(mac(1))
                .options(o -> o.parameterRequestList(1, 3)).build())).reply().options();
        DhcpOptions names = only(OFFER, f.handle(discover(mac(2))
                .options(o -> o.parameterRequestList(6, 15, 28)).build())).reply().options();

        assertEquals(Set.of(DhcpOptions.MESSAGE_TYPE, DhcpOptions.SERVER_IDENTIFIER, DhcpOptions.LEASE_TIME,
                DhcpOptions.RENEWAL_TIME, DhcpOptions.REBINDING_TIME, DhcpOptions.SUBNET_MASK, DhcpOptions.ROUTER),
                routerOnly.codes());
        assertEquals(Set.of(DhcpOptions.MESSAGE_TYPE, DhcpOptions.SERVER_IDENTIFIER, DhcpOptions.LEASE_TIME,
                DhcpOptions.RENEWAL_TIME, DhcpOptions.REBINDING_TIME, DhcpOptions.SUBNET_MASK,
                DhcpOptions.DOMAIN_NAME_SERVER, DhcpOptions.DOMAIN_NAME, 28), names.codes());
        assertEquals(List.of(ip("192.0.2.53")), names.domainNameServers());
        assertEquals(Optional.of("lab.example"), names.domainName());
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, (byte) 255}, names.get(28).orElseThrow());
    }

    @Test
    void clientThatAsksForNothingInParticularGetsTheSubnetsOptions() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();

        DhcpOptions options = only(OFFER, f.handle(discover(mac(1)).build())).reply().options();

        assertEquals(List.of(ip("192.0.2.254")), options.routers());
        assertEquals(List.of(ip("192.0.2.53")), options.domainNameServers());
        assertEquals(Optional.of("lab.example"), options.domainName());
    }

    @Test
    void nodeAskingForAHostNameGetsItsName() {
        DhcpFixture f = new DhcpFixture(settings(), LAB).start();
        f.inventory.add(Node.of("cnode7", mac(1)));

        DhcpOptions options = only(OFFER, f.handle(discover(mac(1))
                .options(o -> o.parameterRequestList(1, 12)).build())).reply().options();

        assertEquals(Optional.of("cnode7"), options.hostName());
    }

    @Test
    void leaseTimeAskedBeyondTheMaximumIsCapped() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "maxLeaseTime", "7200"), LAB).start();

        Sent offer = only(OFFER, f.handle(discover(mac(1)).options(o -> o.leaseTime(1_000_000)).build()));
        assertEquals(OptionalLong.of(7200), offer.reply().options().leaseTime());
        f.handle(select(mac(1), offer.reply().yiaddr(), SERVER).options(o -> o.leaseTime(DhcpOptions.INFINITE_LEASE))
                .build());

        assertEquals(START.plusSeconds(7200), f.leases.pending().get(0).lease().expires());
        DhcpOptions ack = only(ACK, f.settle()).reply().options();
        assertEquals(OptionalLong.of(7200), ack.leaseTime());
        assertEquals(OptionalLong.of(3600), ack.renewalTime());
        assertEquals(OptionalLong.of(6300), ack.rebindingTime());
    }

    @Test
    void leaseTimeAskedWithinTheMaximumIsGranted() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();

        Sent offer = only(OFFER, f.handle(discover(mac(1)).options(o -> o.leaseTime(900)).build()));

        assertEquals(OptionalLong.of(900), offer.reply().options().leaseTime());
    }

    @Test
    void subnetLeaseTimeIsTheDefaultForItsClients() {
        Map<String, Object> shortLeases = new HashMap<>(LAB);
        shortLeases.put("leaseTime", "300");
        DhcpFixture f = new DhcpFixture(ALLOW, shortLeases).start();

        assertEquals(OptionalLong.of(300), only(OFFER, f.handle(discover(mac(1)).build())).reply().options().leaseTime());
    }

    // ---------------------------------------------------------------- what is not a request

    @Test
    void repliesAndBootpFromClientsNotInTheInventoryAreNotAnswered() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB).start();

        f.handle(discover(mac(1)).op(DhcpOp.BOOTREPLY).build());
        f.handle(DhcpMessage.builder().hardwareAddress(mac(1)).build());
        f.handle(message(DhcpMessageType.OFFER, mac(1)).build());

        assertTrue(f.sent().isEmpty());
        assertEquals(2, f.dropped(Drop.NOT_A_REQUEST));
        assertEquals(1, f.dropped(Drop.UNKNOWN_CLIENT), "BOOTP answers inventory nodes only, whatever unknownClients says");
    }

    // ---------------------------------------------------------------- restart

    @Test
    void leasesInTheStoreAreHonouredAfterARestart() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS);
        f.leases.preload(Lease.of("01:52:54:00:00:00:01", mac(1), FIRST, START.minusSeconds(600),
                START.plusSeconds(3000), Lease.State.BOUND));
        f.start();

        assertTrue(f.handle(discover(mac(2)).options(o -> o.requestedIpAddress(FIRST)).build()).isEmpty());
        only(NAK, f.handle(initReboot(mac(2), FIRST).build()));
        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr());
        f.handle(initReboot(mac(1), FIRST).build());
        assertEquals(FIRST, only(ACK, f.settle()).reply().yiaddr());
    }

    @Test
    void storedLeaseThatRanOutIsFreeAfterARestart() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS);
        f.leases.preload(Lease.of("01:52:54:00:00:00:01", mac(1), FIRST, START.minusSeconds(7200),
                START.minusSeconds(3600), Lease.State.BOUND));
        f.start();

        assertEquals(FIRST, only(OFFER, f.handle(discover(mac(2)).build())).reply().yiaddr());
    }

    @Test
    void storedDeclineIsHonouredAfterARestart() {
        DhcpFixture f = new DhcpFixture(ALLOW, ONE_ADDRESS);
        f.leases.preload(Lease.of("01:52:54:00:00:00:01", mac(1), FIRST, START.minusSeconds(60),
                START.plusSeconds(600), Lease.State.DECLINED));
        f.start();

        assertTrue(f.handle(discover(mac(1)).build()).isEmpty());
        assertTrue(f.handle(discover(mac(2)).build()).isEmpty());
    }

    @Test
    void clientComingBackAfterARestartIsOfferedItsPreviousAddressWhenFree() {
        DhcpFixture f = new DhcpFixture(ALLOW, LAB);
        f.leases.preload(Lease.of("01:52:54:00:00:00:01", mac(1), ip("192.0.2.105"), START.minusSeconds(7200),
                START.minusSeconds(3600), Lease.State.BOUND));
        f.start();

        assertEquals(ip("192.0.2.105"), only(OFFER, f.handle(discover(mac(1)).build())).reply().yiaddr());
    }

    // ---------------------------------------------------------------- helpers

    private static Node fixed(String name, HardwareAddress mac, String address) {
        return Node.builder(name, mac).address(ip(address)).build();
    }

    private static Lease released(HardwareAddress mac, String address) {
        return Lease.of(DhcpProcessor.clientId(discover(mac).build(), mac), mac, ip(address),
                START.minusSeconds(7200), START.minusSeconds(3600), Lease.State.RELEASED);
    }

    /** Whether {@code address} is in the boot network's dynamic range, 192.0.2.100-109. */
    private static boolean inLabPool(Inet4Address address) {
        int value = Addresses.toInt(address);
        return value >= Addresses.toInt(FIRST) && value <= Addresses.toInt(ip("192.0.2.109"));
    }
}

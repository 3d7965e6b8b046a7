package org.diskless.dhcp.internal;

import static org.diskless.dhcp.codec.DhcpMessageType.ACK;
import static org.diskless.dhcp.codec.DhcpMessageType.OFFER;
import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.SERVER;
import static org.diskless.dhcp.internal.DhcpFixture.UNCONFIGURED_CLIENT;
import static org.diskless.dhcp.internal.DhcpFixture.discover;
import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.only;
import static org.diskless.dhcp.internal.DhcpFixture.renew;
import static org.diskless.dhcp.internal.DhcpFixture.select;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.diskless.api.HardwareAddress;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which requests a server answers beside a peer: we are 192.0.2.1 (buckets 0-127), the peer 192.0.2.2. */
class LoadBalancerTest {

    private static final Inet4Address PEER = ip("192.0.2.2");
    private static final Inet4Address LEASED = ip("192.0.2.105");

    private final Set<Inet4Address> down = new HashSet<>();
    private DhcpFixture f;

    @BeforeEach
    void start() {
        f = new DhcpFixture(settings("unknownClients", "allow", "peers", "192.0.2.2"), LAB).start();
        f.processor().peersDown(() -> Set.copyOf(down));
    }

    @Test
    void aClientInOurBucketsIsAnswered() {
        only(OFFER, f.handle(discover(ours()).build()));
    }

    @Test
    void aClientInThePeersBucketsIsLeftToIt() {
        assertTrue(f.handle(discover(peers()).build()).isEmpty());
        assertEquals(1, f.dropped(Drop.PEER_BUCKET));
    }

    @Test
    void aClientThePeerLeftWaitingForTakeoverSecondsIsAnswered() {
        assertTrue(f.handle(discover(peers()).secs(2).build()).isEmpty(), "2 s: the peer may still answer");
        only(OFFER, f.handle(discover(peers()).secs(3).build()));
    }

    @Test
    void theBucketsOfAPeerThatIsDownAreAnsweredAtOnce() {
        down.add(PEER);
        only(OFFER, f.handle(discover(peers()).build()));
        down.clear();
        assertTrue(f.handle(discover(peers()).build()).isEmpty(), "back: its buckets are its own again");
    }

    @Test
    void aRequestNamingUsIsOursWhateverItsBucket() {
        assertTrue(f.handle(select(peers(), LEASED, SERVER).build()).isEmpty());
        only(ACK, f.settle());
    }

    @Test
    void aRequestNamingThePeerIsNotOurs() {
        assertTrue(f.handle(select(ours(), LEASED, PEER).build()).isEmpty());
        assertEquals(1, f.dropped(Drop.OTHER_SERVER), "the client chose the peer's offer");
    }

    @Test
    void aRenewalSentToUsIsOursButARebindingBroadcastIsBalanced() {
        DhcpMessage renewing = renew(peers(), LEASED).build();
        assertTrue(f.handle(new DhcpProcessor.Arrival(renewing, UNCONFIGURED_CLIENT, false, true, false)).isEmpty());
        only(ACK, f.settle());
        assertTrue(f.handle(new DhcpProcessor.Arrival(renewing, UNCONFIGURED_CLIENT, false, true, true)).isEmpty());
        assertEquals(1, f.dropped(Drop.PEER_BUCKET));
    }

    @Test
    void aRebindingARelayForwardedToUsIsBalancedThoughItCameByUnicast() {
        DhcpMessage relayed = renew(peers(), LEASED).giaddr(ip("192.0.2.254")).build();
        assertTrue(f.handle(new DhcpProcessor.Arrival(relayed, UNCONFIGURED_CLIENT, false, true, false)).isEmpty());
        assertEquals(1, f.dropped(Drop.PEER_BUCKET));
    }

    @Test
    void aServerWithoutPeersAnswersEveryone() {
        DhcpFixture alone = new DhcpFixture(settings("unknownClients", "allow"), LAB).start();
        only(OFFER, alone.handle(discover(peers()).build()));
        only(OFFER, alone.handle(discover(ours()).build()));
    }

    @Test
    void eachServerOffersFromItsOwnShareOfThePoolFirst() {
        // 10.0.0.1 sorts before us: it has buckets 0-127 and the pool's lower half, 100-104.
        DhcpFixture second = new DhcpFixture(settings("unknownClients", "allow", "peers", "10.0.0.1"), LAB).start();
        List<Inet4Address> offered = new ArrayList<>();
        for (int n = 0; offered.size() < 10 && n < 10_000; n++) {
            DhcpMessage discover = discover(mac(n)).build();
            if (ClientHash.bucket(discover) >= 128) {
                offered.add(only(OFFER, second.handle(discover)).reply().yiaddr());
            }
        }

        assertEquals(List.of(ip("192.0.2.105"), ip("192.0.2.106"), ip("192.0.2.107"), ip("192.0.2.108"),
                ip("192.0.2.109"), ip("192.0.2.100"), ip("192.0.2.101"), ip("192.0.2.102"), ip("192.0.2.103"),
                ip("192.0.2.104")), offered, "our share first, then the peer's: a full share loses nothing");
    }

    @Test
    void theSharesFollowTheBucketsOrderAndStayPutWhenAPeerIsDown() {
        LoadBalancer balancer = new LoadBalancer(new PeerSettings(List.of(ip("192.0.2.9"), ip("192.0.2.3")),
                PeerSettings.DEFAULT_TAKEOVER_SECONDS, PeerSettings.DEFAULT_HEARTBEAT_PORT), () -> Set.copyOf(down));
        assertEquals(new Share(1, 3), balancer.share(Optional.of(ip("192.0.2.5"))));
        down.add(ip("192.0.2.3"));
        assertEquals(new Share(1, 3), balancer.share(Optional.of(ip("192.0.2.5"))));

        LoadBalancer alone = new LoadBalancer(PeerSettings.ALONE, Set::of);
        assertEquals(Share.WHOLE, alone.share(Optional.of(SERVER)));
        assertEquals(Share.WHOLE, balancer.share(Optional.empty()), "no address of ours: answering as alone");
    }

    /** A client whose hash falls in our half. */
    static HardwareAddress ours() {
        return clientIn(0, 128);
    }

    static HardwareAddress peers() {
        return clientIn(128, 256);
    }

    private static HardwareAddress clientIn(int from, int to) {
        for (int n = 0; n < 1000; n++) {
            int bucket = ClientHash.bucket(discover(mac(n)).build());
            if (bucket >= from && bucket < to) {
                return mac(n);
            }
        }
        throw new AssertionError("no client hashes to " + from + "-" + (to - 1));
    }
}

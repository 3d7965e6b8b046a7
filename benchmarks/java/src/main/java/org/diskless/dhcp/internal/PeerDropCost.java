package org.diskless.dhcp.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.support.config.InvalidSettingException;

import io.netty.buffer.ByteBuf;

/**
 * What a server with a peer spends on the broadcasts it leaves to that peer, against what an
 * exchange it answers costs: the event loop's work per message, as {@link DhcpExchangeBenchmark}
 * drives it (perfdhcp's messages through a relay, unknown clients, a lease store that completes
 * at once), in cpu time of this thread, so that other processes on a busy host do not count. The
 * variants take turns in rounds, and each prints the median of its rounds:
 * <ul>
 * <li>{@code exchange}: DISCOVER, OFFER, REQUEST, ACK, decoded and encoded, by a server alone;</li>
 * <li>{@code peer DISCOVER, triaged}: a DISCOVER in the peer's buckets, told from its raw bytes
 * ({@link DhcpProcessor#leftToPeer});</li>
 * <li>{@code peer DISCOVER, decoded}: the same DISCOVER decoded and handled, the path it took
 * before the triage;</li>
 * <li>{@code REQUEST naming the peer}: the client's REQUEST for the peer's offer, decoded and
 * handled (dropped as {@code other-server}).</li>
 * </ul>
 * Run by {@code benchmarks/peer-drop-cost.sh}.
 */
public final class PeerDropCost {

    private static final Inet4Address PEER = Addresses.parse("198.18.9.3");
    private static final int ROUNDS = 15;
    private static final int PER_ROUND = 20_000;
    private static final int WARM_UP_ROUNDS = 5;

    private final DhcpExchangeBenchmark alone = new DhcpExchangeBenchmark();
    private final DhcpProcessor withPeer;
    private final ByteBuf discover = DhcpExchangeBenchmark.template(DhcpMessageType.DISCOVER, DhcpExchangeBenchmark.SERVER,
            false);
    private final ByteBuf requestToPeer = DhcpExchangeBenchmark.template(DhcpMessageType.REQUEST, PEER, true);
    /** Clients (chaddr's last two bytes) whose hash falls in the peer's buckets. */
    private final int[] peersClients;
    private long sink;

    private PeerDropCost() throws InvalidSettingException {
        alone.start();
        withPeer = DhcpExchangeBenchmark.processor(Map.of("peers", PEER.getHostAddress()));
        List<Integer> clients = new ArrayList<>();
        for (int n = 0; n < 0x10000; n++) {
            discover.setShort(32, n);
            if (withPeer.leftToPeer(discover.duplicate(), false, true)) {
                clients.add(n);
            }
        }
        peersClients = clients.stream().mapToInt(Integer::intValue).toArray();
    }

    public static void main(String[] args) throws InvalidSettingException {
        new PeerDropCost().run();
    }

    private void run() {
        List<String> names = List.of("exchange (answered, alone)", "peer DISCOVER, triaged", "peer DISCOVER, decoded",
                "REQUEST naming the peer");
        List<IntUnaryOperator> variants = List.of(i -> alone.exchange(), this::triaged, this::decoded,
                this::requestNamingPeer);
        long[][] nanos = new long[variants.size()][ROUNDS];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
            for (int v = 0; v < variants.size(); v++) {
                long start = cpu.getCurrentThreadCpuTime();
                IntUnaryOperator variant = variants.get(v);
                for (int i = 0; i < PER_ROUND; i++) {
                    sink += variant.applyAsInt(i);
                }
                if (round >= 0) {
                    nanos[v][round] = cpu.getCurrentThreadCpuTime() - start;
                }
            }
        }
        double exchange = median(nanos[0]);
        System.out.printf(Locale.ROOT, "cpu time per message on one thread, median of %d rounds of %,d (java %s)%n",
                ROUNDS, PER_ROUND, System.getProperty("java.version"));
        for (int v = 0; v < variants.size(); v++) {
            double each = median(nanos[v]);
            System.out.printf(Locale.ROOT, "  %-28s %7.2f us  %5.1f %% of an exchange%n", names.get(v), each / 1000,
                    100 * each / exchange);
        }
        System.out.println("  (checksum " + (sink & 0xFF) + ")");
    }

    private int triaged(int i) {
        discover.setShort(32, peersClients[i % peersClients.length]);
        if (!withPeer.leftToPeer(discover.duplicate(), false, true)) {
            throw new AssertionError("not left to the peer");
        }
        return 1;
    }

    private int decoded(int i) {
        discover.setShort(32, peersClients[i % peersClients.length]);
        return handle(discover);
    }

    private int requestNamingPeer(int i) {
        requestToPeer.setShort(32, i);
        return handle(requestToPeer);
    }

    private int handle(ByteBuf datagram) {
        DhcpMessage message = DhcpDecoder.decode(datagram.duplicate(), DhcpExchangeBenchmark.RELAY);
        int[] replies = new int[1];
        withPeer.handle(new DhcpProcessor.Arrival(message, DhcpExchangeBenchmark.RELAY, false, true, true),
                (reply, recipient) -> replies[0]++);
        if (replies[0] != 0) {
            throw new AssertionError("answered " + message);
        }
        return message.xid();
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / (double) PER_ROUND;
    }
}

package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpEncoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOp;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one DORA exchange costs the DHCP event loop, as {@code benchmarks/dhcp-bench.sh} drives it:
 * perfdhcp as a relay, its clients unknown to the inventory, a /16 pool. Each exchange decodes the
 * DISCOVER from bytes, lets the processor answer, encodes the OFFER, then the same for REQUEST and
 * ACK; the lease store completes at once, as if its disk never waited. One thread, as one event
 * loop. Time per exchange from JMH; bytes allocated per exchange with its GC profiler
 * ({@code benchmarks/jmh-bench.sh DhcpExchange -prof gc}: {@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DhcpExchangeBenchmark {

    static final InetSocketAddress RELAY = new InetSocketAddress(Addresses.parse("198.19.0.1"), 67);
    static final Inet4Address SERVER = Addresses.parse("198.18.9.1");
    /** perfdhcp's default option 55: subnet mask, broadcast, time offset, routers, domain, DNS, host name. */
    static final int[] REQUESTED = {1, 28, 2, 3, 15, 6, 12};
    static final int CLIENTS = 20_000;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private DhcpProcessor processor;
    private ByteBuf discover;
    private ByteBuf request;
    private int requestedAddressOffset;
    private int client;

    @Setup
    public void start() throws InvalidSettingException {
        processor = processor(Map.of());
        discover = template(DhcpMessageType.DISCOVER, SERVER, false);
        request = template(DhcpMessageType.REQUEST, SERVER, true);
        requestedAddressOffset = valueOffset(request, 50);
    }

    /**
     * A processor of the bench pool for unknown clients, as SERVER, with {@code settings} added
     * to the DHCP settings; its lease store completes at once.
     */
    static DhcpProcessor processor(Map<String, String> settings) throws InvalidSettingException {
        Subnet pool = Subnet.parse("bench", Config.of(Map.of("network", "198.19.0.0/16",
                "range", "198.19.0.10-198.19.255.250",
                "serverAddress", SERVER.getHostAddress(), "leaseTime", "3600")));
        Map<String, String> all = new HashMap<>(settings);
        all.put("unknownClients", "allow");
        all.put("leaseTime", "3600");
        Topology topology = Topology.of(DhcpSettings.parse(Config.of(all)), List.of(pool),
                List.of(new LocalAddress("veth0", SERVER, 24)));
        NodeDirectory noNodes = new NoNodes();
        DhcpProcessor processor = new DhcpProcessor(topology, new DhcpProcessor.Services(() -> Optional.of(noNodes),
                List::of, List::of, Optional::empty, Optional::empty, Optional.of(new InstantLeases()), event -> { },
                () -> true, Instant::now, Runnable::run, new DhcpStatistics()));
        processor.restore();
        return processor;
    }

    /** DISCOVER, OFFER, REQUEST of the offered address, ACK for the next of {@link #CLIENTS} clients; returns the address. */
    @Benchmark
    public int exchange() {
        int n = client;
        client = (n + 1) % CLIENTS;
        discover.setInt(4, n).setShort(32, n);
        int offer = answer(discover, DhcpMessageType.OFFER);
        request.setInt(4, n).setShort(32, n).setInt(requestedAddressOffset, offer);
        return answer(request, DhcpMessageType.ACK);
    }

    /** Decodes the request, lets the processor answer and encodes the reply; returns its yiaddr. */
    private int answer(ByteBuf template, DhcpMessageType expected) {
        int[] yiaddr = new int[1];
        DhcpMessage message = DhcpDecoder.decode(template.duplicate(), RELAY);
        processor.handle(new DhcpProcessor.Arrival(message, RELAY, false, true), (reply, recipient) -> {
            ByteBuf datagram = DhcpEncoder.encode(alloc, reply, DhcpEncoder.ETHERNET_MAX_PAYLOAD);
            try {
                if (datagram.getByte(240 + 2) != expected.code()) {
                    throw new AssertionError("expected " + expected + ", got " + reply);
                }
                yiaddr[0] = datagram.getInt(16);
            } finally {
                datagram.release();
            }
        });
        if (yiaddr[0] == 0) {
            throw new AssertionError("no " + expected + " for " + message);
        }
        return yiaddr[0];
    }

    /** A request as perfdhcp sends it through its relay: option 53, then 50 and 54 for REQUEST, then 55. */
    static ByteBuf template(DhcpMessageType type, Inet4Address server, boolean selecting) {
        DhcpMessage message = DhcpMessage.builder().op(DhcpOp.BOOTREQUEST).hops(1).giaddr((Inet4Address) RELAY.getAddress())
                .hardwareAddress(HardwareAddress.ethernet(new byte[] {0x52, 0x54, 0, 0, 0, 0}))
                .options(o -> {
                    o.messageType(type);
                    if (selecting) {
                        o.requestedIpAddress(Addresses.parse("198.19.0.10")).serverIdentifier(server);
                    }
                    o.parameterRequestList(REQUESTED);
                })
                .build();
        ByteBuf encoded = DhcpEncoder.encode(UnpooledByteBufAllocator.DEFAULT, message, DhcpEncoder.ETHERNET_MAX_PAYLOAD);
        return Unpooled.unreleasableBuffer(encoded);
    }

    private static int valueOffset(ByteBuf datagram, int code) {
        int i = 240;
        while (datagram.getUnsignedByte(i) != code) {
            i += 2 + datagram.getUnsignedByte(i + 1);
        }
        return i + 2;
    }

    /** Commits complete at once, as a store whose disk never waits; the latest lease per client is kept. */
    private static final class InstantLeases implements LeaseStore {
        private final Map<String, Lease> byClient = new HashMap<>();

        @Override
        public CompletionStage<Lease> commit(Lease lease) {
            byClient.put(lease.clientId(), lease);
            return CompletableFuture.completedFuture(lease);
        }

        @Override
        public Optional<Lease> byAddress(Inet4Address address) {
            return Optional.empty();
        }

        @Override
        public Optional<Lease> byClientId(String clientId) {
            return Optional.ofNullable(byClient.get(clientId));
        }

        @Override
        public Collection<Lease> leases() {
            return List.copyOf(byClient.values());
        }
    }

    /** An inventory without nodes: perfdhcp's clients are all unknown. */
    private static final class NoNodes implements NodeDirectory {
        @Override
        public Optional<Node> byHardwareAddress(HardwareAddress address) {
            return Optional.empty();
        }

        @Override
        public Optional<Node> byUuid(UUID uuid) {
            return Optional.empty();
        }

        @Override
        public Optional<Node> byAddress(InetAddress address) {
            return Optional.empty();
        }

        @Override
        public Optional<Node> byName(String name) {
            return Optional.empty();
        }

        @Override
        public Collection<Node> nodes() {
            return List.of();
        }
    }
}

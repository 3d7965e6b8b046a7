package org.diskless.bench.storm;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.sun.management.OperatingSystemMXBean;

/**
 * The boot-storm load generator: N PXE ROMs powering on at once, played by one process on one
 * thread, each a state machine ({@link Rom}) from DHCP to the last file, run by
 * {@code benchmarks/storm.sh} inside the client network namespace it makes. A measurement, not a
 * test.
 *
 * <p>What a node does, and the client it models:
 * <ul>
 * <li>DHCP as a PXE 2.1 ROM: DISCOVER and REQUEST with the PXE options, broadcast flag set,
 *     retransmitted after 4, 8, 16 and 32 s (the PXE specification's schedule), one minute in all
 *     ({@link DhcpClient}). One socket on port 68 for every node; replies are told apart by xid
 *     and MAC.</li>
 * <li>The boot file DHCP names: by PXE MTFTP when option 43 carries the MTFTP sub-options 1-5,
 *     else by unicast TFTP. Unicast TFTP as iPXE's client does it ({@link TftpFetch}): blksize
 *     1432 and tsize asked, retransmission after a quarter of a second at first, following the
 *     round trip, doubling, given up after about 15 s of silence. MTFTP as the PXE specification
 *     describes the client and atftp's client implements it ({@link MtftpFetch}).</li>
 * <li>The loader's configuration file by unicast TFTP, then the files it names, each by MTFTP
 *     when the configuration gives it a channel ({@link LoaderConfig}).</li>
 * </ul>
 * Every block is compared with the file in the boot root: a node has its files only when every
 * byte is right. Each node binds its own leased address (a server limits transfers per client
 * address), from a pool the client namespace routes to itself.
 *
 * <p>Prints its figures as {@code key value} lines on standard output (see {@link #report}).
 */
public final class BootStorm {

    private static final int DHCP_CLIENT_PORT = 68;
    private static final int DHCP_RECEIVE_BUFFER = 4 << 20;

    private final StormOptions options;
    private final StormTally tally = new StormTally();
    private final List<Rom> roms = new ArrayList<>();
    private int ended;

    private BootStorm(StormOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws IOException {
        StormOptions options;
        try {
            options = StormOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("boot-storm: " + e.getMessage());
            System.exit(2);
            return;
        }
        new BootStorm(options).run(System.out);
    }

    private void run(PrintStream out) throws IOException {
        BootRoot root = new BootRoot(options.root());
        try (EventLoop loop = new EventLoop(tally)) {
            NetworkInterface boot = options.bootInterface() == null ? null
                    : NetworkInterface.getByName(options.bootInterface());
            if (options.bootInterface() != null && boot == null) {
                throw new IOException("no interface " + options.bootInterface());
            }
            StormNetwork network = new StormNetwork(loop, boot, tally);
            Map<Integer, Rom> byXid = new HashMap<>();
            EventLoop.Socket dhcpPort = loop.open(new InetSocketAddress(DHCP_CLIENT_PORT),
                    (datagram, from) -> dhcpReply(datagram, byXid),
                    channel -> {
                        channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
                        channel.setOption(StandardSocketOptions.SO_RCVBUF, DHCP_RECEIVE_BUFFER);
                    });
            Rom.Context context = new Rom.Context(loop, network, tally, root, options.pool(), options.tftpPort(),
                    options.blockSize(), options.configName());
            SplittableRandom random = new SplittableRandom(0x5707_0000L + options.run());
            long first = loop.now();
            for (int i = 0; i < options.nodes(); i++) {
                byte[] mac = {0x02, 0x5a, (byte) options.run(), (byte) (i >> 16), (byte) (i >> 8), (byte) i};
                byte[] uuid = new byte[16];
                random.nextBytes(uuid);
                int xid;
                do {
                    xid = random.nextInt();
                } while (byXid.containsKey(xid));
                Rom rom = new Rom(i, context, dhcpPort, xid, mac, uuid, r -> ended++);
                roms.add(rom);
                byXid.put(xid, rom);
                long offset = (long) (options.spreadSeconds() * 1e9 * i / options.nodes());
                loop.timer(rom::start).at(first + offset);
            }
            long deadline = first + (long) (options.maxSeconds() * 1e9);
            loop.run(deadline, () -> ended == roms.size());
            long stoppedAt = loop.now();
            for (Rom rom : roms) {
                if (!rom.done() && !rom.failed()) {
                    rom.abandon();
                }
            }
            report(out, first, stoppedAt, root, network);
        }
    }

    private void dhcpReply(ByteBuffer datagram, Map<Integer, Rom> byXid) {
        DhcpWire.parseReply(datagram).ifPresentOrElse(reply -> {
            Rom rom = byXid.get(reply.xid());
            if (rom == null) {
                tally.strayPackets++;
            } else {
                rom.dhcp().onReply(reply);
            }
        }, () -> tally.strayPackets++);
    }

    /**
     * The figures: how many nodes got every file, failed or were still busy when the run was cut;
     * seconds from the first power-on until the last node had every file (all_done_seconds, only
     * when every node did), the median and slowest node from its own power-on, and the slowest
     * DHCP; what the clients counted ({@link StormTally}); bytes of one copy of every file; each
     * MTFTP group's blocks; and up to ten reasons nodes failed ("why COUNT EXAMPLE", reasons that
     * differ only in numbers counted as one).
     */
    private void report(PrintStream out, long first, long stoppedAt, BootRoot root, StormNetwork network) {
        List<Double> nodeSeconds = new ArrayList<>();
        double lastDone = 0;
        double slowestDhcp = 0;
        int done = 0;
        int failed = 0;
        Map<String, Integer> reasons = new HashMap<>();
        Map<String, String> examples = new HashMap<>();
        for (Rom rom : roms) {
            if (rom.boundAt() != 0) {
                slowestDhcp = Math.max(slowestDhcp, seconds(rom.boundAt() - rom.startedAt()));
            }
            if (rom.done()) {
                done++;
                nodeSeconds.add(seconds(rom.doneAt() - rom.startedAt()));
                lastDone = Math.max(lastDone, seconds(rom.doneAt() - first));
            } else if (rom.failed()) {
                failed++;
                String kind = rom.failure().replaceAll("[0-9]+", "N");
                reasons.merge(kind, 1, Integer::sum);
                examples.putIfAbsent(kind, rom.failure());
            } else {
                String kind = "unfinished at the cut, in " + rom.phase();
                reasons.merge(kind, 1, Integer::sum);
                examples.putIfAbsent(kind, kind);
            }
        }
        nodeSeconds.sort(null);
        int unfinished = roms.size() - done - failed;
        out.printf("nodes %d%n", roms.size());
        out.printf("done %d%n", done);
        out.printf("failed %d%n", failed);
        out.printf("unfinished %d%n", unfinished);
        out.printf("all_done_seconds %s%n", done == roms.size() ? format(lastDone) : "-");
        out.printf("last_done_seconds %s%n", format(lastDone));
        out.printf("run_seconds %s%n", format(seconds(stoppedAt - first)));
        out.printf("node_median_seconds %s%n", nodeSeconds.isEmpty() ? "-" : format(nodeSeconds.get(nodeSeconds.size() / 2)));
        out.printf("node_max_seconds %s%n", nodeSeconds.isEmpty() ? "-" : format(nodeSeconds.get(nodeSeconds.size() - 1)));
        out.printf("dhcp_max_seconds %s%n", format(slowestDhcp));
        out.printf("bytes_one_copy %d%n", root.bytesOfOneCopy());
        out.printf("dhcp_sent %d%n", tally.dhcpSent);
        out.printf("dhcp_retransmissions %d%n", tally.dhcpRetransmissions);
        out.printf("dhcp_naks %d%n", tally.dhcpNaks);
        out.printf("unicast_fetches %d%n", tally.unicastFetches);
        out.printf("mtftp_fetches %d%n", tally.mtftpFetches);
        out.printf("duplicate_data %d%n", tally.duplicateData);
        out.printf("client_retransmissions %d%n", tally.clientRetransmissions);
        out.printf("mtftp_opens %d%n", tally.mtftpOpens);
        out.printf("mtftp_masters %d%n", tally.mtftpMasters);
        out.printf("group_blocks %d%n", tally.groupBlocks);
        out.printf("group_repeats %d%n", tally.groupRepeats);
        out.printf("group_stray %d%n", tally.groupStray);
        out.printf("blocks_past_the_end %d%n", tally.blocksPastTheEnd);
        out.printf("stray_packets %d%n", tally.strayPackets);
        out.printf("sends_lost %d%n", tally.sendsLost);
        if (tally.firstSendError != null) {
            out.printf("send_error %s%n", tally.firstSendError);
        }
        out.printf("client_cpu_seconds %s%n", format(seconds(cpuNanos())));
        network.groupCounts().forEach((group, counts) -> out.printf("group %s:%d blocks %d repeats %d%n",
                group.getAddress().getHostAddress(), group.getPort(), counts[0], counts[1]));
        reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(10)
                .forEach(e -> out.printf("why %d %s%n", e.getValue(), examples.get(e.getKey())));
    }

    /** This process's cpu time so far (every thread: the loop, the collector, the JIT). */
    private static long cpuNanos() {
        return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime();
    }

    private static double seconds(long nanos) {
        return nanos / (double) TimeUnit.SECONDS.toNanos(1);
    }

    private static String format(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }
}

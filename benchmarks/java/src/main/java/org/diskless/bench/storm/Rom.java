package org.diskless.bench.storm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * One simulated node from power-on to having every file: its PXE ROM gets an address
 * ({@link DhcpClient}) and downloads the boot file DHCP names, by MTFTP when the offer carries the
 * MTFTP sub-options and by unicast TFTP otherwise; the boot loader then fetches its configuration
 * by unicast TFTP and the files it names, each as the configuration says. One file at a time, as
 * a loader does. The node fails where its ROM or loader would give up.
 */
final class Rom implements DhcpClient.Listener, Fetch.Listener {

    /** What every node shares: the loop, the sockets, the files, the settings. */
    record Context(Scheduler scheduler, Network network, StormTally tally, BootRoot root, Pool pool,
                   int tftpPort, int blockSize, String configName) {
    }

    /** The addresses the client namespace can bind (its local route). */
    interface Pool {

        boolean contains(Inet4Address address);
    }

    /** Told once when a node has every file or has failed. */
    interface Ended {

        void ended(Rom rom);
    }

    private final int index;
    private final Context context;
    private final DhcpClient dhcp;
    private final Ended ended;
    private final Deque<String> remaining = new ArrayDeque<>();

    private long startedAt;
    private long boundAt;
    private long doneAt;
    private String failure;
    private Inet4Address address;
    private Inet4Address server;
    private boolean loaderFetched;
    private LoaderConfig config;
    private Fetch current;
    private String phase = "waiting";

    Rom(int index, Context context, Network.Link dhcpPort, int xid, byte[] mac, byte[] uuid, Ended ended) {
        this.index = index;
        this.context = context;
        this.ended = ended;
        this.dhcp = new DhcpClient(context.scheduler(), dhcpPort, context.tally(), xid, mac, uuid, this);
    }

    void start() {
        startedAt = context.scheduler().now();
        phase = "DHCP";
        dhcp.start();
    }

    /** The run is over: stop whatever the node is doing, without a verdict. */
    void abandon() {
        dhcp.abandon();
        if (current != null) {
            current.abandon();
        }
    }

    DhcpClient dhcp() {
        return dhcp;
    }

    int index() {
        return index;
    }

    boolean done() {
        return doneAt != 0;
    }

    boolean failed() {
        return failure != null;
    }

    String failure() {
        return failure;
    }

    /** Where the node stands ("DHCP", a file name, "done"). */
    String phase() {
        return phase;
    }

    long startedAt() {
        return startedAt;
    }

    long boundAt() {
        return boundAt;
    }

    long doneAt() {
        return doneAt;
    }

    @Override
    public void bound(DhcpWire.Reply offer, DhcpWire.Reply ack) {
        boundAt = context.scheduler().now();
        address = ack.yiaddr();
        if (!context.pool().contains(address)) {
            fail("DHCP leased " + address.getHostAddress() + ", outside the pool the generator can bind");
            return;
        }
        Optional<Inet4Address> next = ack.nextServer().or(offer::nextServer);
        Optional<String> bootFile = ack.bootFile().or(offer::bootFile);
        if (next.isEmpty() || bootFile.isEmpty()) {
            fail("DHCP named no " + (next.isEmpty() ? "TFTP server" : "boot file"));
            return;
        }
        server = next.get();
        fetch(bootFile.get(), ack.mtftp().or(offer::mtftp));
    }

    @Override
    public void failed(String reason) {
        fail("DHCP: " + reason);
    }

    @Override
    public void fetched(ExpectedFile file) {
        current = null;
        if (!loaderFetched) {
            loaderFetched = true;
            fetch(context.configName(), Optional.empty());
            return;
        }
        if (config == null) {
            try {
                config = LoaderConfig.parse(file.bytes());
            } catch (IllegalArgumentException e) {
                fail(file.name() + ": " + e.getMessage());
                return;
            }
            remaining.addAll(config.files());
        }
        String next = remaining.poll();
        if (next == null) {
            doneAt = context.scheduler().now();
            phase = "done";
            ended.ended(this);
            return;
        }
        fetch(next, config.channel(next));
    }

    @Override
    public void failed(ExpectedFile file, String reason) {
        current = null;
        fail(file.name() + ": " + reason);
    }

    private void fetch(String name, Optional<MtftpChannel> channel) {
        ExpectedFile file;
        try {
            file = context.root().file(name);
        } catch (IOException e) {
            fail(e.getMessage());
            return;
        }
        phase = name;
        current = channel.isPresent()
                ? new MtftpFetch(context.scheduler(), context.network(), context.tally(), file, address, server,
                        channel.get(), this)
                : new TftpFetch(context.scheduler(), context.network(), context.tally(), file, address,
                        new InetSocketAddress(server, context.tftpPort()), context.blockSize(), this);
        current.start();
    }

    private void fail(String reason) {
        failure = reason;
        phase = "failed";
        ended.ended(this);
    }
}

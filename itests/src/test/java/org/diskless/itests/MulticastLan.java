package org.diskless.itests;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A LAN with multicast on, beside the one {@link DisklessServer} makes: a bridge in a namespace of its
 * own (multicast snooping off, so every port gets every group), the server namespace plugged into it
 * by a veth {@value #SERVER_LINK} of its own, and one namespace per client host (a PXE client binds
 * the MTFTP client port, so two cannot share a namespace). Every side routes 224.0.0.0/4 to the LAN.
 * Register it after the server: {@code @RegisterExtension @Order(2)}.
 *
 * <p>The server's veth carries nothing but what the server sends to these hosts, so its kernel
 * counters measure the server's egress on the wire. The namespaces are the server fixture's
 * ({@link DisklessServer#addNamespace}): named with the JVM's pid, deleted with its own. Commands
 * started on a host are tracked and killed, by their PIDs, if a test left one running.
 */
final class MulticastLan implements BeforeAllCallback, AfterAllCallback {

    /** The server's address on this LAN, the one its MTFTP service binds and sends from. */
    static final String SERVER_IP = "198.18.7.1";
    static final String SERVER_LINK = "mc0";

    private static final String HOST_LINK = "eth0";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** A client machine: its namespace and address. */
    record Host(String namespace, String ip) {
    }

    /** Counters of one host's UDP stack (/proc/net/snmp), for telling a master from listeners and for drops. */
    record Udp(long outDatagrams, long receiveBufferErrors) {
    }

    private final DisklessServer server;
    private final int hostCount;
    private final List<Host> hosts = new ArrayList<>();
    private final List<Exec.Running> started = new ArrayList<>();

    MulticastLan(DisklessServer server, int hostCount) {
        this.server = server;
        this.hostCount = hostCount;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String bridgeNs = server.addNamespace("mcbridge");
        run("make the bridge", "ip", "-n", bridgeNs, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0",
                "forward_delay", "0");
        run("bridge up", "ip", "-n", bridgeNs, "link", "set", "br0", "up");

        // Made from inside the server namespace, whose name is the server fixture's own.
        inServer("plug the server in", "ip", "link", "add", SERVER_LINK, "type", "veth", "peer", "name", "srv",
                "netns", bridgeNs);
        // No IPv6 on it: router solicitations and MLD reports would add to the egress this link measures.
        inServer("IPv6 off on " + SERVER_LINK, "sysctl", "-qw", "net.ipv6.conf." + SERVER_LINK + ".disable_ipv6=1");
        inServer("address the server", "ip", "addr", "add", SERVER_IP + "/24", "dev", SERVER_LINK);
        inServer("server link up", "ip", "link", "set", SERVER_LINK, "up");
        inServer("multicast route on the server", "ip", "route", "add", "224.0.0.0/4", "dev", SERVER_LINK);
        run("server port into the bridge", "ip", "-n", bridgeNs, "link", "set", "srv", "master", "br0", "up");

        for (int i = 1; i <= hostCount; i++) {
            String ns = server.addNamespace("mchost");
            String ip = "198.18.7." + (10 + i);
            String port = "h" + i;
            run("IPv6 off in " + ns, "ip", "netns", "exec", ns, "sysctl", "-qw",
                    "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            // Ten clients and the server share two cpus here: a client kept off a cpu for a few ms
            // must not drop blocks from the default 208 KiB (about 90 datagrams), or it opens again
            // and costs a second pass that a real LAN of idle PXE ROMs would not.
            run("larger receive buffers in " + ns, "ip", "netns", "exec", ns, "sysctl", "-qw",
                    "net.core.rmem_default=4194304");
            run("plug " + ns + " in", "ip", "-n", ns, "link", "add", HOST_LINK, "type", "veth", "peer", "name", port,
                    "netns", bridgeNs);
            run("address " + ns, "ip", "-n", ns, "addr", "add", ip + "/24", "dev", HOST_LINK);
            run("link up in " + ns, "ip", "-n", ns, "link", "set", HOST_LINK, "up");
            run("loopback up in " + ns, "ip", "-n", ns, "link", "set", "lo", "up");
            run("multicast route in " + ns, "ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", HOST_LINK);
            run("port " + port + " into the bridge", "ip", "-n", bridgeNs, "link", "set", port, "master", "br0", "up");
            hosts.add(new Host(ns, ip));
        }
    }

    /** The client hosts, in a fixed order. */
    List<Host> hosts() {
        return List.copyOf(hosts);
    }

    /** Starts a command on {@code host} (working directory: the server fixture's client folder); await it with a bound. */
    Exec.Running start(Host host, String... argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
        command.addAll(Arrays.asList(argv));
        Exec.Running running = Exec.start(server.clientDir(), Map.of(), command);
        synchronized (started) {
            started.add(running);
        }
        return running;
    }

    /** Bytes the server has sent on its veth into this LAN, Ethernet headers included (no preamble or FCS on a veth). */
    long serverTxBytes() {
        return serverStatistic("tx_bytes");
    }

    /** Frames the server has sent on its veth into this LAN. */
    long serverTxPackets() {
        return serverStatistic("tx_packets");
    }

    private long serverStatistic(String name) {
        // /sys inside the namespace shows the namespace's own links.
        Exec.Result r = inServer("read " + name, "cat", "/sys/class/net/" + SERVER_LINK + "/statistics/" + name);
        return Long.parseLong(r.stdout().trim());
    }

    Udp udp(Host host) {
        Exec.Result r = run("read the UDP counters of " + host.namespace(), "ip", "netns", "exec", host.namespace(),
                "cat", "/proc/net/snmp");
        List<String> rows = r.stdout().lines().filter(l -> l.startsWith("Udp: ")).toList();
        if (rows.size() != 2) {
            fail("no Udp rows in /proc/net/snmp of " + host.namespace() + ":\n" + r.stdout());
        }
        List<String> names = List.of(rows.get(0).split("\\s+"));
        String[] values = rows.get(1).split("\\s+");
        return new Udp(Long.parseLong(values[names.indexOf("OutDatagrams")]),
                Long.parseLong(values[names.indexOf("RcvbufErrors")]));
    }

    /** Kills, by their PIDs, the commands a test left running; the server fixture then deletes the namespaces. */
    @Override
    public void afterAll(ExtensionContext context) {
        List<Exec.Running> leftovers;
        synchronized (started) {
            leftovers = List.copyOf(started);
            started.clear();
        }
        for (Exec.Running running : leftovers) {
            if (running.isAlive()) {
                System.out.println("[itests MulticastLan] killed a command a test left running: "
                        + running.kill().describe());
            }
        }
    }

    private Exec.Result inServer(String what, String... argv) {
        return check(server.inServerNs(COMMAND_TIMEOUT, argv), what);
    }

    private static Exec.Result run(String what, String... argv) {
        return check(Exec.run(Path.of("/"), COMMAND_TIMEOUT, List.of(argv)), what);
    }

    private static Exec.Result check(Exec.Result result, String what) {
        if (!result.ok()) {
            fail("cannot " + what + ":\n" + result.describe());
        }
        return result;
    }
}

package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DHCP server of the running distribution against real clients: ISC dhclient and busybox udhcpc
 * announcing a PXE architecture, each on its own macvlan (so each has its own MAC) on the client
 * namespace's veth; a scapy client for what those cannot send. The server runs with the shipped
 * etc/org.diskless.dhcp.cfg (unknown clients denied) plus one subnet for the veth's network.
 */
class DhcpIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final String SUBNET_CFG = "org.diskless.dhcp.subnet-it.cfg";
    private static final String DHCP_CFG = "org.diskless.dhcp.cfg";
    private static final Pattern RANGE_ADDRESS = Pattern.compile("198\\.18\\.5\\.(1[0-4][0-9])");
    /** Debian's klibc-utils: the BOOTP/DHCP client its initramfs runs for ip=bootp and ip=dhcp. */
    private static final String KLIBC_IPCONFIG = "/usr/lib/klibc/bin/ipconfig";

    private static DhcpClients clients;

    @BeforeAll
    static void configureASubnet() {
        clients = new DhcpClients(server, "isc-dhcp-client python3-scapy", "dhclient", "/usr/bin/python3");
        server.setProperty(DHCP_CFG, "interface", "\"veth0\"");
        server.writeConfig(SUBNET_CFG, String.join("\n",
                "network = \"198.18.5.0/24\"",
                "range = \"198.18.5.100-198.18.5.149\"",
                "routers = \"198.18.5.1\"",
                "dnsServers = \"198.18.5.1\"",
                "domainName = \"cluster.example\"",
                "leaseTime = \"600\"", ""));
        Optional<String> pools = poll(SETTLE, Duration.ofMillis(300), () -> server.shell("dhcp:pools"),
                out -> out.contains("198.18.5.0/24"));
        assertTrue(pools.isPresent(), () -> "the subnet never appeared in dhcp:pools:\n" + server.shell("dhcp:pools")
                + server.logSince(0));
    }

    @AfterEach
    void removeClientInterfaces() {
        clients.removeLinks("dc1", "dc2", "dc3", "dc4");
    }

    @Test
    void udhcpcOnAKnownBiosNodeGetsItsFixedAddressNextServerAndPxelinux() {
        String mac = "52:54:00:5e:01:01";
        addNode("dhcp-fixed01", mac, "--address 198.18.5.77 --arch 0 --boot kernel=vmlinuz --boot initrd=initrd.gz");
        clients.macvlan("dc1", mac);

        Map<String, String> lease = udhcpc("dc1", "PXEClient:Arch:00000:UNDI:002001", "0000");

        assertEquals("198.18.5.77", lease.get("ip"), lease::toString);
        assertEquals(SERVER_IP, lease.get("siaddr"), lease::toString);
        assertEquals("pxelinux.0", lease.get("boot_file"), lease::toString);
        assertEquals(SERVER_IP, lease.get("serverid"), lease::toString);
        assertEquals("198.18.5.1", lease.get("router"), lease::toString);
        assertEquals("cluster.example", lease.get("domain"), lease::toString);
        // A fixed address is the node's own, not a lease (as with dhcpd host declarations); the node's
        // timeline shows the exchange.
        String status = server.shell("boot:status dhcp-fixed01");
        assertTrue(status.contains("198.18.5.77") && status.contains("ACK"), status);
        // The distribution carries Netty's native library for Linux x86_64: the server reads and
        // answers in batches on epoll, and says so.
        String stats = server.shell("dhcp:stats");
        assertTrue(stats.lines().anyMatch(l -> l.matches("Transport\\s+epoll.*")), stats);
    }

    @Test
    void dhclientOnAKnownUefiNodeGetsAPoolAddressAndTheEfiLoader() {
        String mac = "52:54:00:5e:01:02";
        addNode("dhcp-pool02", mac, "--arch 7 --boot kernel=vmlinuz --boot initrd=initrd.gz");
        clients.macvlan("dc2", mac);

        // Architecture 9 is what some EDK2 builds send for x64 UEFI; the server treats it as 7.
        Map<String, String> lease = dhclient("dc2", 9);

        String address = lease.get("new_ip_address");
        assertTrue(address != null && RANGE_ADDRESS.matcher(address).matches(), lease::toString);
        assertEquals("ipxe.efi", lease.get("new_filename"), lease::toString);
        assertEquals(SERVER_IP, lease.get("new_next_server"), lease::toString);
        assertEquals("PXEClient", lease.get("new_vendor_class_identifier"), lease::toString);
        assertEquals("300", lease.get("new_dhcp_renewal_time"), "T1 is half the lease: " + lease);
        assertEquals("525", lease.get("new_dhcp_rebinding_time"), "T2 is 7/8 of the lease: " + lease);
        assertEquals("255.255.255.0", lease.get("new_subnet_mask"), lease::toString);
        assertEquals("198.18.5.1", lease.get("new_routers"), lease::toString);
        assertEquals("600", lease.get("new_dhcp_lease_time"), lease::toString);
        assertEquals(SERVER_IP, lease.get("new_dhcp_server_identifier"), lease::toString);
        String leases = server.shell("dhcp:leases -s bound");
        assertTrue(leases.contains(address) && leases.contains(mac), leases);
    }

    /**
     * GRUB 2.06's HTTP boot stops at grub> when the ACK carries option 6: a client class for x64 HTTP
     * boot clients leaves it out for them, and only for them.
     */
    @Test
    void aClientClassLeavesTheDnsServersOutForHttpBootClientsOnly() {
        String grub = "52:54:00:5e:01:15";
        String other = "52:54:00:5e:01:16";
        addNode("dhcp-grub15", grub, "--arch 16");
        addNode("dhcp-other16", other, "--arch 0");
        long mark = server.logMark();
        server.writeConfig("org.diskless.dhcp.class-grubhttp.cfg", "architecture = \"16\"\nremove = \"6\"\n");
        try {
            assertTrue(server.awaitLogLine(mark, SETTLE, "DHCP client class grubhttp").isPresent(),
                    () -> "the class was never put in force:\n" + server.logSince(mark));
            clients.macvlan("dc5", grub);
            clients.macvlan("dc6", other);

            Map<String, String> http = udhcpc("dc5", "HTTPClient:Arch:00016:UNDI:003000", "0010");
            Map<String, String> pxe = udhcpc("dc6", "PXEClient:Arch:00000:UNDI:002001", "0000");

            assertEquals(null, http.get("dns"), http::toString);
            assertEquals("198.18.5.1", http.get("router"), "the rest of the answer stays");
            assertEquals("198.18.5.1", pxe.get("dns"), pxe::toString);
        } finally {
            server.deleteConfig("org.diskless.dhcp.class-grubhttp.cfg");
            clients.removeLinks("dc5", "dc6");
        }
    }

    @Test
    void anUnknownClientGetsNothingUnderDenyAndAnAddressOnceAllowed() {
        String mac = "52:54:00:5e:01:03";
        clients.macvlan("dc3", mac);
        long deniedBefore = clients.dropped("unknown-client");

        String silent = clients.scapy("discover", "--iface", "dc3", "--mac", mac, "--arch", "0", "--wait", "3");
        assertTrue(silent.contains("offers 0"), silent);
        assertTrue(clients.dropped("unknown-client") > deniedBefore, () -> server.shell("dhcp:stats"));

        server.setProperty(DHCP_CFG, "unknownClients", "\"allow\"");
        try {
            Optional<String> offered = poll(SETTLE, Duration.ofSeconds(1),
                    () -> clients.scapy("discover", "--iface", "dc3", "--mac", mac, "--arch", "0", "--wait", "2"),
                    out -> RANGE_ADDRESS.matcher(out).find());
            assertTrue(offered.isPresent(), () -> "no offer after unknownClients = allow:\n" + server.shell("dhcp:stats"));
        } finally {
            server.setProperty(DHCP_CFG, "unknownClients", "\"deny\"");
        }
        Optional<String> deniedAgain = poll(SETTLE, Duration.ofSeconds(1),
                () -> clients.scapy("discover", "--iface", "dc3", "--mac", mac, "--arch", "0", "--wait", "2"),
                out -> out.contains("offers 0"));
        assertTrue(deniedAgain.isPresent(), "unknown clients still served after unknownClients = deny");
    }

    @Test
    void aBroadcastArrivingOnAnInterfaceTheServerDoesNotServeGetsNothing() {
        // A second network into the server's namespace, 198.18.6.0/24 on veth1; etc/org.diskless.dhcp.cfg
        // names veth0 the boot network, and no subnet is configured for veth1's.
        String client = server.clientNamespace();
        Exec.Result link = server.inServerNs(Duration.ofSeconds(10), "sh", "-c", String.join(" && ",
                "ip link add veth1 type veth peer name veth1 netns " + client,
                "ip addr add 198.18.6.1/24 dev veth1", "ip link set veth1 up"));
        assertTrue(link.ok(), link::describe);
        try {
            Exec.Result up = server.client("ip", "link", "set", "veth1", "up");
            assertTrue(up.ok(), up::describe);
            String mac = "52:54:00:5e:01:06";
            addNode("dhcp-other-network", mac, "");

            String elsewhere = clients.scapy("discover", "--iface", "veth1", "--mac", mac, "--arch", "0", "--wait", "3");
            assertTrue(elsewhere.contains("offers 0"), elsewhere);
            assertFalse(server.shell("dhcp:leases").contains(mac), () -> "an address is held for a client of another"
                    + " network:\n" + server.shell("dhcp:leases"));

            clients.macvlan("dc1", mac);
            String onTheBootNetwork = clients.scapy("discover", "--iface", "dc1", "--mac", mac, "--arch", "0",
                    "--wait", "3");
            assertTrue(RANGE_ADDRESS.matcher(onTheBootNetwork).find(), onTheBootNetwork);
        } finally {
            server.inServerNs(Duration.ofSeconds(10), "sh", "-c", "ip link del veth1 2>/dev/null || true");
        }
    }

    /**
     * klibc's ipconfig, what Debian's initramfs runs for a kernel booted with ip=bootp: a BOOTREQUEST
     * with the RFC 1048 cookie and no option 53. A node with a fixed address gets that address, the
     * subnet's options and its name by BOOTP (-n: printed, not applied to the link), and no lease.
     */
    @Test
    void klibcIpconfigAskingByBootpGetsTheNodesFixedAddressAndNoLease() {
        assertTrue(Files.isExecutable(Path.of(KLIBC_IPCONFIG)), "klibc's ipconfig is needed: apt-get install klibc-utils");
        String mac = "52:54:00:5e:01:07";
        addNode("bootp-fixed07", mac, "--address 198.18.5.80");
        clients.macvlan("dc1", mac);

        Exec.Result ipconfig = server.client(DhcpClients.CLIENT_RUN, KLIBC_IPCONFIG, "-n", "-c", "bootp", "-t", "20",
                "dc1");

        String out = ipconfig.stdout();
        assertTrue(ipconfig.ok() && out.contains("complete (bootp from " + SERVER_IP + ")"), ipconfig::describe);
        for (String expected : List.of("address: 198\\.18\\.5\\.80\\s", "netmask: 255\\.255\\.255\\.0",
                "gateway: 198\\.18\\.5\\.1\\s", "host\\s*: bootp-fixed07", "domain\\s*: cluster\\.example")) {
            assertTrue(Pattern.compile(expected).matcher(out).find(), () -> expected + " not in:\n" + out);
        }
        assertFalse(server.shell("dhcp:leases").contains("198.18.5.80"), "BOOTP leases nothing");
        String status = server.shell("boot:status bootp-fixed07");
        assertTrue(status.contains("BOOTP") && status.contains("198.18.5.80 (fixed, BOOTREPLY)"), status);
    }

    @Test
    void malformedDatagramsAreDroppedAndCountedAndTheServerKeepsAnswering() {
        long malformedBefore = clients.dropped("malformed");
        String sent = clients.scapy("garbage", "--server", SERVER_IP);
        assertTrue(sent.contains("sent 8"), sent);

        Optional<Long> counted = poll(Duration.ofSeconds(10), Duration.ofMillis(300), () -> clients.dropped("malformed"),
                n -> n >= malformedBefore + 4);
        assertTrue(counted.isPresent(), () -> server.shell("dhcp:stats"));
        assertEquals(0, clients.dropped("internal-error"), () -> server.shell("dhcp:stats"));

        String mac = "52:54:00:5e:01:04";
        addNode("dhcp-after-garbage", mac, "--address 198.18.5.78");
        clients.macvlan("dc4", mac);
        Map<String, String> lease = udhcpc("dc4", null, null);
        assertEquals("198.18.5.78", lease.get("ip"), lease::toString);
        List<String> traces = server.logSince(0).lines()
                .filter(l -> l.contains("org.diskless.dhcp") && l.contains("Exception")).toList();
        assertTrue(traces.isEmpty(), () -> "exceptions from the DHCP bundle in karaf.log:\n" + traces);
    }

    @Test
    void badSettingsAreRefusedNamingTheKeyWhileTheLastGoodOnesKeepServing() {
        long mark = server.logMark();
        server.setProperty(DHCP_CFG, "leaseTime", "\"a while\"");
        server.writeConfig("org.diskless.dhcp.subnet-broken.cfg", String.join("\n",
                "network = \"198.18.9.0/33\"", "range = \"198.18.9.10-198.18.9.20\"", ""));
        try {
            assertTrue(server.awaitLogLine(mark, SETTLE, "Refused etc/org.diskless.dhcp.cfg", "leaseTime").isPresent(),
                    () -> server.logSince(mark));
            assertTrue(server.awaitLogLine(mark, SETTLE, "Refused etc/org.diskless.dhcp.subnet-broken.cfg", "network").isPresent(),
                    () -> server.logSince(mark));
            assertFalse(server.shell("dhcp:pools").contains("198.18.9."), "a refused subnet is listed");

            String mac = "52:54:00:5e:01:05";
            addNode("dhcp-still-served", mac, "--address 198.18.5.79");
            clients.macvlan("dc1", mac);
            Map<String, String> lease = udhcpc("dc1", null, null);
            assertEquals("198.18.5.79", lease.get("ip"), lease::toString);
            assertEquals("600", lease.get("lease"), "the subnet's lease time still applies: " + lease);
        } finally {
            server.deleteConfig("org.diskless.dhcp.subnet-broken.cfg");
            server.setProperty(DHCP_CFG, "leaseTime", "\"3600\"");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void addNode(String name, String mac, String options) {
        String added = server.shell("nodes:add " + options + " " + name + " " + mac);
        assertTrue(added.contains("Added node " + name), added);
        // The inventory applies the configuration asynchronously; the DHCP server reads it per request.
        Optional<String> listed = poll(SETTLE, Duration.ofMillis(200), () -> server.shell("nodes:list"),
                out -> out.contains(name));
        assertTrue(listed.isPresent(), "node " + name + " never reached the inventory");
    }



    /** busybox udhcpc, once, in the foreground; returns what its script saw on 'bound'. */
    private static Map<String, String> udhcpc(String link, String vendorClass, String architectureHex) {
        Path out = server.clientDir().resolve("udhcpc-" + link + ".env");
        Path hook = writeScript("udhcpc-" + link + ".sh", "#!/bin/sh\n[ \"$1\" = bound ] && env > " + out + "\nexit 0\n");
        List<String> argv = new java.util.ArrayList<>(List.of("busybox", "udhcpc", "-i", link, "-f", "-q", "-n",
                "-t", "5", "-T", "2", "-s", hook.toString()));
        if (vendorClass != null) {
            argv.addAll(List.of("-V", vendorClass, "-x", "0x5d:" + architectureHex));
        }
        Exec.Result r = server.client(DhcpClients.CLIENT_RUN, argv.toArray(String[]::new));
        assertTrue(r.ok() && Files.exists(out), () -> "udhcpc got no lease:\n" + r.describe() + "\n"
                + server.shell("dhcp:stats"));
        return readEnv(out);
    }

    /** ISC dhclient, one attempt, announcing a PXE architecture; returns what its script saw on BOUND. */
    private static Map<String, String> dhclient(String link, int architecture) {
        Path dir = server.clientDir();
        Path out = dir.resolve("dhclient-" + link + ".env");
        Path hook = writeScript("dhclient-" + link + ".sh",
                "#!/bin/sh\ncase \"$reason\" in BOUND|REBOOT) env > " + out + ".tmp && mv " + out + ".tmp " + out
                        + ";; esac\nexit 0\n");
        Path conf = dir.resolve("dhclient-" + link + ".conf");
        write(conf, String.join("\n",
                "option pxe-arch code 93 = unsigned integer 16;",
                "send pxe-arch " + architecture + ";",
                String.format("send vendor-class-identifier \"PXEClient:Arch:%05d:UNDI:003016\";", architecture),
                "request subnet-mask, routers, domain-name-servers, domain-name, dhcp-lease-time;",
                "timeout 30;", "retry 5;", ""));
        Exec.Running running = server.clientAsync("dhclient", "-4", "-d", "-1", "-v", "-cf", conf.toString(),
                "-lf", dir.resolve("dhclient-" + link + ".leases").toString(),
                "-pf", dir.resolve("dhclient-" + link + ".pid").toString(), "-sf", hook.toString(), link);
        Optional<Boolean> bound = poll(DhcpClients.CLIENT_RUN, Duration.ofMillis(300), () -> Files.exists(out), b -> b);
        Exec.Result stopped = running.await(Duration.ZERO);
        if (bound.isEmpty()) {
            fail("dhclient got no lease:\n" + stopped.describe() + "\n" + server.shell("dhcp:stats"));
        }
        return readEnv(out);
    }

    private static Path writeScript(String name, String content) {
        Path file = server.clientDir().resolve(name);
        write(file, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> readEnv(Path file) {
        Map<String, String> env = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1).replaceAll("^'|'$", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

}

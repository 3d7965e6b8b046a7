package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server whose network comes up after it: a subnet configured while the host has no address
 * to answer its clients from is refused, then served, without a restart or an edit, once the
 * address is added; and said to be no longer served when the address goes again.
 */
class DhcpAddressChangeIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final String SUBNET_CFG = "org.diskless.dhcp.subnet-late.cfg";
    /** FileInstall polls etc/ every second; the server looks at its addresses every few seconds. */
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final String[] ADDRESS = {SERVER_IP + "/24", "dev", "veth0"};

    @Test
    void aSubnetRefusedForWantOfAnAddressIsServedOnceTheAddressIsAddedAndSaidGoneWhenItGoes() {
        long mark = server.logMark();
        serverIp("addr", "del");
        try {
            server.writeConfig(SUBNET_CFG, String.join("\n",
                    "network = \"198.18.5.0/24\"",
                    "range = \"198.18.5.150-198.18.5.160\"",
                    "unknownClients = \"allow\"",
                    "leaseTime = \"600\"", ""));
            Optional<String> refused = server.awaitLogLine(mark, SETTLE, "Refused etc/org.diskless.dhcp.subnet-late.cfg",
                    "no IPv4 address");
            assertTrue(refused.isPresent(), () -> "no refusal of the subnet while the host has no address:\n"
                    + server.logSince(mark));

            long added = server.logMark();
            serverIp("addr", "add");
            Optional<String> served = server.awaitLogLine(added, SETTLE, "DHCP subnet late", "is served now",
                    "198.18.5.1 (veth0)");
            assertTrue(served.isPresent(), () -> "the subnet was not served after the address was added:\n"
                    + server.logSince(added));

            Map<String, String> lease = udhcpc();
            assertTrue(lease.getOrDefault("ip", "").matches("198\\.18\\.5\\.1(5\\d|60)"), lease::toString);
            assertEquals(SERVER_IP, lease.get("serverid"), lease::toString);

            long removed = server.logMark();
            serverIp("addr", "del");
            Optional<String> gone = server.awaitLogLine(removed, SETTLE, "DHCP subnet late", "is no longer served");
            assertTrue(gone.isPresent(), () -> "no line saying the subnet is no longer served:\n"
                    + server.logSince(removed));
        } finally {
            server.inServerNs(Duration.ofSeconds(10), "sh", "-c", "ip addr show dev veth0 | grep -q 'inet "
                    + SERVER_IP + "/' || ip addr add " + SERVER_IP + "/24 dev veth0");
            server.deleteConfig(SUBNET_CFG);
        }
    }

    private static void serverIp(String... command) {
        String[] argv = new String[1 + command.length + ADDRESS.length];
        argv[0] = "ip";
        System.arraycopy(command, 0, argv, 1, command.length);
        System.arraycopy(ADDRESS, 0, argv, 1 + command.length, ADDRESS.length);
        Exec.Result r = server.inServerNs(Duration.ofSeconds(10), argv);
        assertTrue(r.ok(), r::describe);
    }

    /** busybox udhcpc on the client's veth, once; what its script saw on 'bound' (applied to nothing). */
    private static Map<String, String> udhcpc() {
        Path out = server.clientDir().resolve("udhcpc-late.env");
        Path hook = server.clientDir().resolve("udhcpc-late.sh");
        try {
            Files.writeString(hook, "#!/bin/sh\n[ \"$1\" = bound ] && env > " + out + "\nexit 0\n");
            hook.toFile().setExecutable(true);
            Exec.Result r = server.client(Duration.ofSeconds(60), "busybox", "udhcpc", "-i", "veth0", "-f", "-q", "-n",
                    "-t", "5", "-T", "2", "-s", hook.toString());
            assertTrue(r.ok() && Files.exists(out), () -> "udhcpc got no lease:\n" + r.describe() + "\n"
                    + server.logSince(0));
            Map<String, String> env = new HashMap<>();
            for (String line : Files.readAllLines(out)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who can stop the server. Karaf's default shutdown port takes a command that etc/config.properties
 * (readable by every local user) holds, at a port data/port names, so any local user could stop a
 * boot server. The distribution opens no such port, and bin/stop stops the server through its pid
 * file instead. The stop comes last: it ends this class's server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StopIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The SSH console (etc/org.apache.karaf.shell.cfg, 127.0.0.1 only). */
    private static final String CONSOLE_PORT = "8101";
    /** The HTTP boot server (feature diskless-http, booted by default) serves the boot root here. */
    private static final String HTTP_BOOT_PORT = "8080";
    /** The admin interface: JSON API and dashboard (feature diskless-web, etc/org.ops4j.pax.web.cfg, 127.0.0.1 only). */
    private static final String ADMIN_PORT = "8181";
    /** The Prometheus endpoint (feature diskless-metrics, etc/org.diskless.metrics.cfg, 127.0.0.1 only). */
    private static final String METRICS_PORT = "9180";

    @Test
    @Order(1)
    void noShutdownPortListens() throws IOException {
        Path portFile = server.home().resolve("data/port");
        assertFalse(Files.exists(portFile), () -> "Karaf opened a shutdown port: " + portFile + " holds "
                + readOrNothing(portFile));
        // Karaf is the only program in the server's namespace.
        Exec.Result ss = server.inServerNs(STOP_TIMEOUT, "ss", "-H", "-l", "-t", "-n");
        assertTrue(ss.ok(), ss::describe);
        Set<String> ports = ss.stdout().lines().map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")[3]).map(local -> local.substring(local.lastIndexOf(':') + 1))
                .collect(Collectors.toSet());
        assertEquals(Set.of(CONSOLE_PORT, HTTP_BOOT_PORT, ADMIN_PORT, METRICS_PORT), ports, () -> "TCP ports listening"
                + " in the server's namespace should be the console's, HTTP boot's, the admin interface's and the"
                + " metrics' only:\n" + ss.stdout());
        for (String localOnly : List.of(CONSOLE_PORT, ADMIN_PORT, METRICS_PORT)) {
            Set<String> addresses = ss.stdout().lines().map(String::trim).filter(l -> !l.isEmpty())
                    .map(l -> l.split("\\s+")[3]).filter(local -> local.endsWith(":" + localOnly))
                    .map(local -> local.replace("[::ffff:", "").replace("]", "")) // Java's dual-stack socket, IPv4 only
                    .collect(Collectors.toSet());
            assertEquals(Set.of("127.0.0.1:" + localOnly), addresses, () -> "port " + localOnly + " should listen on"
                    + " 127.0.0.1 only:\n" + ss.stdout());
        }
    }

    @Test
    @Order(2)
    void binStopEndsTheServerThroughItsPidFile() throws IOException {
        long java = Long.parseLong(Files.readString(server.home().resolve("karaf.pid")).trim());
        long mark = server.logMark();
        // From outside the server's namespace: no port could reach it from here, only the pid.
        Exec.Result stop = Exec.run(server.home(), STOP_TIMEOUT, List.of(server.home().resolve("bin/stop").toString()));
        assertTrue(stop.ok(), stop::describe);
        Optional<Boolean> ended = poll(STOP_TIMEOUT, Duration.ofMillis(200),
                () -> ProcessHandle.of(java).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
        assertTrue(ended.isPresent(), () -> "Karaf (pid " + java + ") still runs " + STOP_TIMEOUT.toSeconds()
                + " s after bin/stop: " + stop.describe());
        assertTrue(server.logSince(mark).lines().anyMatch(l -> l.contains("Lease store") && l.contains("closed")),
                () -> "bin/stop should stop Karaf cleanly (its"
                + " components deactivated, the lease store closed); the log since the stop:\n" + server.logSince(mark));
    }

    private static String readOrNothing(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}

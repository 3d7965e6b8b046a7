package org.diskless.itests;

import static org.diskless.itests.DisklessServer.CLIENT_IP;
import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pxelinux and iPXE loader plug-ins in the running distribution: registered with the ranking of
 * their shipped configuration and named in the log as DHCP binds them, generating a node's files
 * over TFTP, taking a configuration change (typed or plain text) without a restart, and refusing
 * a file Karaf read with its quotes.
 */
class BootLoadersIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final String NODE = "ld-node01";
    private static final String MAC_NAME = "01-52-54-00-5e-00-31";
    private static final String SUBNET_CFG = "org.diskless.dhcp.subnet-loaders.cfg";

    @BeforeAll
    static void addTheNode() {
        server.shell("nodes:add --address " + CLIENT_IP + " --boot kernel=images/vmlinuz --boot initrd=images/initrd.gz "
                + NODE + " 52:54:00:5e:00:31");
        if (poll(SETTLE, Duration.ofMillis(200), () -> server.tftpText("pxelinux.cfg/" + MAC_NAME), Optional::isPresent).isEmpty()) {
            fail("no pxelinux config was ever generated for " + NODE + ":\n" + server.shell("nodes:list"));
        }
    }

    @Test
    void bothLoadersAreRegisteredWithTheRankingOfTheirTypedConfiguration() {
        String services = server.shell("service:list org.diskless.api.boot.BootLoader");
        String ipxe = section(services, "org.diskless.loader.ipxe");
        String pxelinux = section(services, "org.diskless.loader.pxelinux");
        assertTrue(ipxe.contains("service.ranking = -10"), services);
        assertTrue(pxelinux.contains("service.ranking = 0"), services);
        assertTrue(ipxe.contains("diskless.loader.architectures = [0, 7, 9]"), services);
        String log = server.logSince(0);
        assertTrue(log.lines().anyMatch(l -> l.contains("Boot loader 'pxelinux' (service ")
                && l.endsWith("ranking 0): asked about architecture [0]")), "the DHCP server names each loader it binds");
        assertTrue(log.lines().anyMatch(l -> l.contains("Boot loader 'ipxe' (service ")
                && l.endsWith("ranking -10): asked about architectures [0, 7, 9]")), log);
    }

    @Test
    void aPlainTextLoaderConfigurationIsReadAndAHalfQuotedOneIsRefused() {
        Path cfg = server.etc().resolve("org.diskless.loader.ipxe.cfg");
        String original = read(cfg);
        try {
            long plain = server.logMark();
            write(cfg, "biosFile = undionly.kpxe\nscriptDirectory = ipxe\nservice.ranking = -5\n");
            assertTrue(server.awaitLogLine(plain, SETTLE, "Boot loader 'ipxe'", "ranking -5)").isPresent(),
                    () -> "a ranking written as plain text was not taken:\n" + server.logSince(plain));

            long halfQuoted = server.logMark();
            write(cfg, original.replace("service.ranking = I\"-10\"", "service.ranking = -10"));
            Optional<String> refused = server.awaitLogLine(halfQuoted, SETTLE,
                    "Refused etc/org.diskless.loader.ipxe.cfg", "the quotes are part of the value");
            assertTrue(refused.isPresent(), () -> "one unquoted value, and quotes left in the others:\n"
                    + server.logSince(halfQuoted));
        } finally {
            long mark = server.logMark();
            write(cfg, original);
            server.awaitLogLine(mark, SETTLE, "Boot loader 'ipxe'", "ranking -10)");
        }
        assertTrue(theIpxeScript().startsWith("#!ipxe\n"), "the loader kept serving throughout");
    }

    @Test
    void theIpxeScriptOfTheNodeIsGenerated() {
        String script = theIpxeScript();
        assertTrue(script.startsWith("#!ipxe\n"), script);
        // The HTTP boot server runs in the distribution, so iPXE fetches kernel and RAM disk over HTTP.
        assertTrue(script.contains("kernel http://${next-server}:8080/images/vmlinuz initrd=initrd.gz root=/dev/ram0 rw"
                + " ip=${ip}:${next-server}:${gateway}:${netmask}:" + NODE + "::off\n"), script);
        assertTrue(script.contains("initrd http://${next-server}:8080/images/initrd.gz\nboot\n"), script);
    }

    @Test
    void aChangedLoaderConfigurationShowsInTheNextGeneratedFileWithoutRestart() {
        long pid = server.karafPid();
        Path cfg = server.etc().resolve("org.diskless.loader.pxelinux.cfg");
        String original = read(cfg);
        try {
            write(cfg, original.replace("device = \"\"", "device = \"eth0\"")
                    .replace("append = \"\"", "append = \"console=ttyS0,115200\""));
            String expected = "ip=" + CLIENT_IP + "::::" + NODE + ":eth0:off console=ttyS0,115200";
            Optional<String> changed = poll(SETTLE, Duration.ofMillis(300), () -> server.tftpText("pxelinux.cfg/" + MAC_NAME).orElse(""),
                    config -> config.contains(expected));
            if (changed.isEmpty()) {
                fail("the generated config never took the new settings; now:\n" + server.tftpText("pxelinux.cfg/" + MAC_NAME));
            }
            assertTrue(changed.get().contains("APPEND initrd=images/initrd.gz root=/dev/ram0 rw " + expected + "\n"),
                    changed.get());
        } finally {
            write(cfg, original);
        }
        assertEquals(pid, server.karafPid(), "the server was not restarted");
        assertTrue(server.karafAlive());
    }

    @Test
    void ipInTheGeneratedConfigComesFromTheDhcpSubnetHoldingTheNode() {
        server.writeConfig(SUBNET_CFG, String.join("\n", "network = \"198.18.5.0/24\"", "routers = \"198.18.5.254\"", ""));
        try {
            String expected = "ip=" + CLIENT_IP + ":" + SERVER_IP + ":198.18.5.254:255.255.255.0:" + NODE + "::off";
            if (poll(SETTLE, Duration.ofMillis(300), () -> server.tftpText("pxelinux.cfg/" + MAC_NAME).orElse(""),
                    config -> config.contains(expected)).isEmpty()) {
                fail("the generated config never took its network from the DHCP subnet; now:\n"
                        + server.tftpText("pxelinux.cfg/" + MAC_NAME));
            }
        } finally {
            server.deleteConfig(SUBNET_CFG);
        }
        Optional<String> without = poll(SETTLE, Duration.ofMillis(300), () -> server.tftpText("pxelinux.cfg/" + MAC_NAME).orElse(""),
                config -> config.contains("ip=" + CLIENT_IP + "::::" + NODE + "::off"));
        assertTrue(without.isPresent(), "the subnet is gone, and with it the network in ip=");
    }

    private static String theIpxeScript() {
        return server.tftpText("ipxe/" + MAC_NAME + ".ipxe").orElseThrow();
    }

    /** The service:list block of one bundle's service. */
    private static String section(String services, String bundle) {
        for (String block : services.split("\n(?=\\S)")) {
            if (block.contains(bundle)) {
                return block;
            }
        }
        fail("no BootLoader service of " + bundle + " in:\n" + services);
        return "";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path target, String content) {
        // Written beside and renamed: FileInstall never reads half a file (the name does not end in .cfg).
        Path tmp = target.resolveSibling("." + target.getFileName() + ".dlit-tmp");
        try {
            Files.writeString(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

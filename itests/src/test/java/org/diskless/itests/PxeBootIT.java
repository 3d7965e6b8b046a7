package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A machine without a disk boots from the running distribution alone: qemu (software emulation, an
 * e1000 NIC whose option ROM is iPXE) gets its address and boot file from our DHCP server and every
 * file from our TFTP server, until the RAM disk's /init (an image the server's boot:initrd built)
 * prints the {@code diskless.marker=} that the boot loader's configuration put last on the kernel
 * command line and powers the machine off. Each loader configuration carries its own marker, so the
 * console tells which path booted the node.
 *
 * <p>The boot LAN lives in the server namespace: bridge {@value QemuPxeLan#BRIDGE} (198.18.6.1/24, the DHCP
 * server's {@code interface}), qemu's tap {@value QemuPxeLan#TAP}, and a veth into the client namespace, a
 * second machine on that LAN. The server keeps its management address on veth0 (198.18.5.1), so the
 * DHCP server has to pick the boot network out of two, as on a real boot server.
 *
 * <p>The steps build on each other (the iPXE ranking is put back, the third-party loader is
 * installed, then removed), so they run in order, on one node and one Karaf that never restarts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PxeBootIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Pattern POOL_ADDRESS = Pattern.compile("198\\.18\\.6\\.1[0-4][0-9]");

    private static final String NODE = "pxe-node01";
    /** The node's fixed address, for the BOOTP boot: on the boot LAN, outside the pool. */
    private static final String FIXED_ADDRESS = "198.18.6.20";
    private static final String MAC = "52:54:00:d1:5c:01";
    private static final String MAC_NAME = "01-52-54-00-d1-5c-01";
    private static final String KERNEL = QemuPxeLan.KERNEL;
    private static final String INITRD = QemuPxeLan.INITRD;
    private static final String INITRD_BOOTP = QemuPxeLan.INITRD_BOOTP;
    private static final String BOOT_SERVER_CIDR = QemuPxeLan.BOOT_SERVER_CIDR;
    private static final String THIRD_PARTY_FOLDER = "thirdparty/";

    private static final String PXELINUX_CFG = "org.diskless.loader.pxelinux.cfg";
    private static final String IPXE_CFG = "org.diskless.loader.ipxe.cfg";

    /** Software emulation on a shared 2-core machine: a boot takes 25–45 s here; this bounds a stuck one. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(240);
    /**
     * GRUB's own TFTP client takes 1024-byte blocks one at a time, polling the firmware's network
     * driver between them: under emulation on a loaded machine the kernel alone takes minutes.
     */
    private static final Duration GRUB_BOOT_TIMEOUT = Duration.ofSeconds(600);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern STEP = Pattern.compile("^\\s+\\S+\\s+\\+\\S+ s\\s+(\\S+)\\s+(\\S+)\\s*(.*)$");
    private static final Pattern SENT_FILE = Pattern.compile("^(\\S+)\\s+(\\d+) bytes");
    private static final Pattern BUNDLE_ID = Pattern.compile("Bundle ID: (\\d+)");
    private static final Pattern ZERO_COUNTER = Pattern.compile(".*\\s0(\\s+\\(.*)?");

    private static long karafPid;
    private static QemuPxeLan lan;
    private static Path boots;
    private static long thirdPartyBundle = -1;

    @BeforeAll
    static void bootLanNodeAndFiles() throws IOException {
        karafPid = server.karafPid();
        lan = new QemuPxeLan(server);
        boots = lan.boots();
        server.setProperty(PXELINUX_CFG, "append", "\"diskless.marker=pxelinux\"");
        server.setProperty(IPXE_CFG, "append", "\"diskless.marker=ipxe\"");
        String added = server.shell("nodes:add --boot kernel=" + KERNEL + " --boot initrd=" + INITRD
                + " --boot \"append=console=ttyS0 panic=-1\" " + NODE + " " + MAC);
        assertTrue(added.contains("Added node " + NODE), added);
        lan.awaitGenerated("pxelinux.cfg/" + MAC_NAME, "diskless.marker=pxelinux console=ttyS0 panic=-1");
        lan.awaitGenerated("ipxe/" + MAC_NAME + ".ipxe", "diskless.marker=ipxe console=ttyS0 panic=-1");
    }

    @Test
    @Order(1)
    void pxelinuxBootsTheNodeThroughOurDhcpAndTftp() {
        Boot boot = boot("pxelinux");

        boot.assertMarker("pxelinux");
        List<Step> attempt = boot.lastAttempt();
        boot.assertDhcpExchange(attempt, "pxelinux.0");
        boot.assertSent(attempt, "pxelinux.0", "ldlinux.c32", "pxelinux.cfg/" + MAC_NAME, KERNEL, INITRD);
    }

    @Test
    @Order(2)
    void ipxeRankedFirstBootsTheNodeFromItsScriptWithoutLoadingItselfAgain() {
        server.setProperty(IPXE_CFG, "service.ranking", "I\"10\"");
        try {
            awaitLoaderRanking("org.diskless.loader.ipxe", 10);
            Boot boot = boot("ipxe");

            boot.assertMarker("ipxe");
            List<Step> attempt = boot.lastAttempt();
            // The ROM is iPXE (user class iPXE): it gets its script at once, never undionly.kpxe, and the
            // script has it fetch kernel and RAM disk from the HTTP boot server.
            String script = "ipxe/" + MAC_NAME + ".ipxe";
            boot.assertDhcpExchange(attempt, script);
            boot.assertSent(attempt, script, KERNEL, INITRD);
        } finally {
            server.setProperty(IPXE_CFG, "service.ranking", "I\"-10\"");
            awaitLoaderRanking("org.diskless.loader.ipxe", -10);
        }
    }

    @Test
    @Order(3)
    void aThirdPartyLoaderInstalledLiveBootsTheNextBoot() throws IOException {
        // What its vendor ships beside the bundle: here, the pxelinux it runs, in its own folder.
        Path folder = Files.createDirectories(server.tftpboot().resolve(THIRD_PARTY_FOLDER));
        for (String file : List.of("pxelinux.0", "ldlinux.c32")) {
            Files.copy(server.tftpboot().resolve(file), folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        String installed = server.shell("bundle:install -s file:" + testLoaderJar());
        Matcher id = BUNDLE_ID.matcher(installed);
        assertTrue(id.find(), () -> "bundle:install printed no bundle id:\n" + installed);
        thirdPartyBundle = Long.parseLong(id.group(1));
        awaitLoader("ThirdPartyLoader", true);

        Boot boot = boot("third-party");

        boot.assertMarker("third-party-loader");
        List<Step> attempt = boot.lastAttempt();
        boot.assertDhcpExchange(attempt, THIRD_PARTY_FOLDER + "pxelinux.0");
        boot.assertSent(attempt, THIRD_PARTY_FOLDER + "pxelinux.0", THIRD_PARTY_FOLDER + "ldlinux.c32",
                THIRD_PARTY_FOLDER + "pxelinux.cfg/" + MAC_NAME, KERNEL, INITRD);
        assertSameKaraf();
    }

    @Test
    @Order(4)
    void uninstallingTheThirdPartyLoaderLeavesTheNextBootToPxelinux() {
        assertTrue(thirdPartyBundle >= 0, "the third-party loader was never installed (see the test before)");
        server.shell("bundle:uninstall " + thirdPartyBundle);
        awaitLoader("ThirdPartyLoader", false);

        Boot boot = boot("fallback");

        boot.assertMarker("pxelinux");
        List<Step> attempt = boot.lastAttempt();
        boot.assertDhcpExchange(attempt, "pxelinux.0");
        boot.assertSent(attempt, "pxelinux.0", "ldlinux.c32", "pxelinux.cfg/" + MAC_NAME, KERNEL, INITRD);
        assertSameKaraf();
    }

    /**
     * A kernel whose command line says {@code ip=bootp} asks for its address again once it runs:
     * the RAM disk does what Debian's initramfs does for it (klibc's ipconfig, BOOTP only, no
     * option 53) and prints what it got. The node has a fixed address, so our DHCP server answers
     * that BOOTP request with it, and the timeline and the wire show a BOOTP exchange.
     */
    @Test
    @Order(5)
    void aKernelBootedWithIpBootpGetsTheNodesFixedAddressByBootp() {
        server.shell("nodes:remove " + NODE);
        String added = server.shell("nodes:add --address " + FIXED_ADDRESS + " --boot kernel=" + KERNEL
                + " --boot initrd=" + INITRD_BOOTP + " --boot \"append=console=ttyS0 panic=-1 ip=bootp\" " + NODE + " "
                + MAC);
        assertTrue(added.contains("Added node " + NODE), added);
        server.setProperty(PXELINUX_CFG, "append", "\"diskless.marker=bootp\"");
        Boot boot;
        try {
            lan.awaitGenerated("pxelinux.cfg/" + MAC_NAME, "diskless.marker=bootp console=ttyS0 panic=-1 ip=bootp");
            boot = boot("bootp");
        } finally {
            server.setProperty(PXELINUX_CFG, "append", "\"diskless.marker=pxelinux\"");
        }

        boot.assertMarker("bootp");
        String got = "diskless-init: ip=bootp address=" + FIXED_ADDRESS + " netmask=255.255.255.0";
        assertTrue(boot.console().lines().anyMatch(l -> l.strip().startsWith(got)
                        && l.contains("host=" + NODE) && l.contains("server=" + BOOT_SERVER_CIDR.split("/")[0])),
                () -> "the RAM disk did not print '" + got + " ... host=" + NODE + "'" + boot.diagnostics());
        List<String> bootp = boot.lastAttempt().stream().filter(s -> s.protocol().equals("BOOTP"))
                .map(s -> s.kind() + " " + s.detail()).toList();
        assertEquals(2, bootp.size(), () -> "BOOTP steps on the timeline: " + bootp + boot.diagnostics());
        assertTrue(bootp.get(0).startsWith("REQUEST BOOTREQUEST"), bootp::toString);
        assertTrue(bootp.get(1).startsWith("ACK " + FIXED_ADDRESS + " (fixed, BOOTREPLY)"), bootp::toString);
        boot.assertBootpOnTheWire(FIXED_ADDRESS);
    }

    /**
     * UEFI firmware as the client: OVMF's own PXE stack (virtio-net without an option ROM, so not
     * iPXE's) takes GRUB's signed network image from the GRUB loader once its feature is installed
     * live, and GRUB boots the node from the configs the loader generates: the grub.cfg Debian's
     * image reads, which sends it on to the node's grub.cfg-01-<mac>.
     */
    @Test
    @Order(6)
    void uefiFirmwareBootsTheNodeThroughGrubFromOurTftp() throws IOException {
        Path grubImage = server.tftpboot().resolve("grub/grubnetx64.efi");
        assertTrue(Files.isRegularFile(grubImage), "prepare-boot-files.sh could not fetch grub-efi-amd64-signed");
        Path firmwareCode = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
        assertTrue(Files.isRegularFile(firmwareCode), "apt-get install --no-install-recommends ovmf");
        Path firmwareVars = Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"), boots.resolve("ovmf-vars.fd"),
                StandardCopyOption.REPLACE_EXISTING);
        server.shell("nodes:remove " + NODE);
        String added = server.shell("nodes:add --boot kernel=" + KERNEL + " --boot initrd=" + INITRD
                + " --boot \"append=console=ttyS0 panic=-1\" " + NODE + " " + MAC);
        assertTrue(added.contains("Added node " + NODE), added);
        server.writeConfig("org.diskless.loader.grub.cfg", "append = \"diskless.marker=grub\"\n");
        String installed = server.shell("feature:install diskless-loader-grub");
        try {
            awaitLoader("GrubLoader", true);
            lan.awaitGenerated("grub/grub.cfg-" + MAC_NAME, "diskless.marker=grub");
            String explained = server.shell("dhcp:explain --arch 7 " + MAC);
            assertTrue(explained.contains("=> boot file grub/grubnetx64.efi"), () -> installed + explained);

            // OVMF and GRUB holding the whole kernel and RAM disk want more than the BIOS boots' 256 MiB.
            Boot boot = boot("grub-uefi", GRUB_BOOT_TIMEOUT, "-m", "512",
                    "-drive", "if=pflash,format=raw,readonly=on,file=" + firmwareCode,
                    "-drive", "if=pflash,format=raw,file=" + firmwareVars,
                    "-device", "virtio-net-pci,netdev=n0,mac=" + MAC + ",romfile=");

            boot.assertMarker("grub");
            List<String> sent = boot.lastAttempt().stream()
                    .filter(s -> s.protocol().equals("TFTP") && s.kind().equals("sent")).map(Step::detail).toList();
            for (String file : List.of("grub/grubnetx64.efi", "grub/grub.cfg ", "grub/grub.cfg-" + MAC_NAME, KERNEL,
                    INITRD)) {
                assertTrue(sent.stream().anyMatch(d -> d.startsWith(file)), () -> file + " not among " + sent
                        + boot.diagnostics());
            }
            assertSameKaraf();
        } finally {
            server.shell("feature:uninstall diskless-loader-grub");
        }
    }

    // ---------------------------------------------------------------- setup

    private static void awaitLoaderRanking(String bundle, int ranking) {
        Optional<String> ranked = poll(SETTLE, Duration.ofMillis(300),
                () -> server.shell("service:list org.diskless.api.boot.BootLoader"),
                services -> section(services, bundle).contains("service.ranking = " + ranking + "\n"));
        assertTrue(ranked.isPresent(), () -> bundle + " never got service.ranking " + ranking + ":\n"
                + server.shell("service:list org.diskless.api.boot.BootLoader"));
    }

    private static void awaitLoader(String component, boolean registered) {
        Optional<String> services = poll(SETTLE, Duration.ofMillis(300),
                () -> server.shell("service:list org.diskless.api.boot.BootLoader"),
                list -> list.contains(component) == registered);
        assertTrue(services.isPresent(), () -> component + (registered ? " never registered" : " is still registered")
                + ":\n" + server.shell("service:list org.diskless.api.boot.BootLoader"));
    }

    private static Path testLoaderJar() {
        String property = System.getProperty("diskless.testloader");
        if (property == null || property.isBlank() || property.contains("${") || !Files.isRegularFile(Path.of(property))) {
            fail("System property diskless.testloader must name the third-party loader bundle (failsafe sets it from"
                    + " ${org.diskless:org.diskless.itests.testloader:jar}; build it with"
                    + " 'mvn -pl itests/org.diskless.itests.testloader install'); got " + property);
        }
        return Path.of(property).toAbsolutePath();
    }

    private static void assertSameKaraf() {
        assertTrue(server.karafAlive(), "the Karaf process exited");
        assertEquals(karafPid, server.karafPid(), "Karaf was restarted");
    }

    // ---------------------------------------------------------------- one boot

    /**
     * Powers the node on with a capture of the boot LAN running, and returns once it powered itself
     * off, gave up, or {@link #BOOT_TIMEOUT} passed.
     */
    private static Boot boot(String label) {
        return boot(label, BOOT_TIMEOUT, "-device", "e1000,netdev=n0,mac=" + MAC, "-boot", "n");
    }

    /**
     * As {@link #boot(String)}, on the firmware and NIC {@code machine} names (the NIC on netdev
     * {@code n0}, the boot LAN's tap), waiting at most {@code timeout}.
     */
    private static Boot boot(String label, Duration timeout, String... machine) {
        QemuPxeLan.PowerOn on = lan.powerOn(label, timeout, machine);
        return new Boot(label, on.qemu(), on.console(), on.capture());
    }

    /** One line of boot:status: protocol, kind ({@code DISCOVER}, {@code sent}, …) and the rest. */
    record Step(String protocol, String kind, String detail) {
    }

    /** What one power-on showed: qemu's end, the serial console, the capture. */
    private record Boot(String label, Exec.Result qemu, String console, Path capture) {

        void assertMarker(String marker) {
            String line = "diskless-init: marker=" + marker;
            if (!qemu.ok() || console.lines().map(String::strip).noneMatch(line::equals)) {
                fail("the " + label + " boot did not reach '" + line + "'" + diagnostics());
            }
        }

        /**
         * The steps of boot:status from the node's last DHCP DISCOVER on.
         */
        List<Step> lastAttempt() {
            String status = server.shell("boot:status " + MAC);
            List<Step> steps = new ArrayList<>();
            for (String line : status.lines().toList()) {
                Matcher m = STEP.matcher(line);
                if (m.matches()) {
                    Step step = new Step(m.group(1), m.group(2), m.group(3));
                    if (step.protocol().equals("DHCP") && step.kind().equals("DISCOVER")) {
                        steps.clear();
                    }
                    steps.add(step);
                }
            }
            assertFalse(steps.isEmpty(), () -> "boot:status shows no DHCP DISCOVER:\n" + status);
            return steps;
        }

        void assertDhcpExchange(List<Step> attempt, String bootFile) {
            List<Step> dhcp = attempt.stream().filter(s -> s.protocol().equals("DHCP")).toList();
            assertEquals(List.of("DISCOVER", "OFFER", "REQUEST", "ACK"), dhcp.stream().map(Step::kind).toList(),
                    () -> "the DHCP exchange of the " + label + " boot" + diagnostics());
            for (Step reply : List.of(dhcp.get(1), dhcp.get(3))) {
                Matcher address = POOL_ADDRESS.matcher(reply.detail());
                assertTrue(address.lookingAt() && reply.detail().endsWith(" file " + bootFile),
                        () -> "expected a pool address and 'file " + bootFile + "' in " + reply + diagnostics());
            }
        }

        /** Exactly these files were sent, by TFTP or HTTP, in this order, each whole. */
        void assertSent(List<Step> attempt, String... files) {
            List<String> sent = new ArrayList<>();
            for (Step step : attempt) {
                if ((step.protocol().equals("TFTP") || step.protocol().equals("HTTP")) && step.kind().equals("sent")) {
                    Matcher m = SENT_FILE.matcher(step.detail());
                    assertTrue(m.lookingAt(), () -> "unexpected " + step.protocol() + " row " + step);
                    sent.add(m.group(1));
                    Path inTree = server.tftpboot().resolve(m.group(1));
                    if (Files.exists(inTree)) {
                        assertEquals(size(inTree), Long.parseLong(m.group(2)), () -> "bytes sent of " + step);
                    }
                }
            }
            assertEquals(List.of(files), sent, () -> "the files of the " + label + " boot" + diagnostics());
        }

        /**
         * The capture holds a BOOTREQUEST from the node without option 53 and a BOOTREPLY without it
         * giving the node {@code address}, of at least the 300 bytes of RFC 951 (UDP length 308).
         */
        void assertBootpOnTheWire(String address) {
            Exec.Result bootp = Exec.run(boots, Duration.ofSeconds(60), List.of("tshark", "-r", capture.toString(),
                    "-Y", "dhcp && !dhcp.option.dhcp", "-T", "fields", "-e", "dhcp.type", "-e", "dhcp.hw.mac_addr",
                    "-e", "dhcp.ip.your", "-e", "udp.length"));
            assertTrue(bootp.ok(), bootp::describe);
            List<String[]> packets = bootp.stdout().lines().map(l -> l.split("\t")).toList();
            assertTrue(packets.stream().anyMatch(p -> p[0].equals("1") && p[1].equals(MAC)),
                    () -> "no BOOTREQUEST without option 53 from " + MAC + ":\n" + bootp.stdout() + diagnostics());
            assertTrue(packets.stream().anyMatch(p -> p[0].equals("2") && p[1].equals(MAC) && p[2].equals(address)
                            && Integer.parseInt(p[3]) >= 308),
                    () -> "no BOOTREPLY without option 53 giving " + address + ":\n" + bootp.stdout() + diagnostics());
        }

        String diagnostics() {
            List<String> consoleLines = console.lines().toList();
            Exec.Result wire = Exec.run(boots, Duration.ofSeconds(60), List.of("tshark", "-r", capture.toString(),
                    "-Y", "dhcp || tftp.opcode == 1 || tftp.opcode == 5 || tftp.opcode == 6"));
            return "\n--- qemu ---\n" + qemu.describe()
                    + "\n--- serial console, last lines ---\n"
                    + String.join("\n", consoleLines.subList(Math.max(0, consoleLines.size() - 30), consoleLines.size()))
                    + "\n--- boot:status " + MAC + " ---\n" + server.shellResult("boot:status " + MAC, COMMAND_TIMEOUT).stdout()
                    + "\n--- dhcp:stats, counters above 0 ---\n" + server.shellResult("dhcp:stats", COMMAND_TIMEOUT).stdout()
                            .lines().filter(l -> !ZERO_COUNTER.matcher(l).matches()).reduce((a, b) -> a + "\n" + b).orElse("")
                    + "\n--- the wire (" + capture + ") ---\n" + wire.stdout().lines().limit(60)
                            .reduce((a, b) -> a + "\n" + b).orElse(wire.describe());
        }
    }

    // ---------------------------------------------------------------- small helpers

    /** The service:list block of one bundle's service. */
    private static String section(String services, String bundle) {
        for (String block : services.split("\n(?=\\S)")) {
            if (block.contains(bundle)) {
                return block;
            }
        }
        return "";
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

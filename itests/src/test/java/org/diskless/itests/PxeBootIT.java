package org.diskless.itests;

import static org.diskless.itests.BootLan.INITRD;
import static org.diskless.itests.BootLan.INITRD_BOOTP;
import static org.diskless.itests.BootLan.KERNEL;
import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
 * <p>The machine boots on a {@link BootLan} in the server namespace, beside the management network.
 *
 * <p>The steps build on each other (the iPXE ranking is put back, the third-party loader is
 * installed, then removed), so they run in order, on one node and one Karaf that never restarts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PxeBootIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final String NODE = "pxe-node01";
    /** The node's fixed address, for the BOOTP boot: on the boot LAN, outside the pool. */
    private static final String FIXED_ADDRESS = "198.18.6.20";
    private static final String MAC = "52:54:00:d1:5c:01";
    private static final String MAC_NAME = "01-52-54-00-d1-5c-01";
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

    private static final Pattern BUNDLE_ID = Pattern.compile("Bundle ID: (\\d+)");

    private static long karafPid;
    private static BootLan lan;
    private static long thirdPartyBundle = -1;

    @BeforeAll
    static void bootLanNodeAndFiles() throws IOException {
        karafPid = server.karafPid();
        lan = BootLan.create(server);
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
        BootLan.Boot boot = boot("pxelinux");

        boot.assertMarker("pxelinux");
        List<BootLan.Step> attempt = boot.lastAttempt();
        boot.assertDhcpExchange(attempt, "pxelinux.0");
        boot.assertSent(attempt, "pxelinux.0", "ldlinux.c32", "pxelinux.cfg/" + MAC_NAME, KERNEL, INITRD);
    }

    @Test
    @Order(2)
    void ipxeRankedFirstBootsTheNodeFromItsScriptWithoutLoadingItselfAgain() {
        server.setProperty(IPXE_CFG, "service.ranking", "I\"10\"");
        try {
            awaitLoaderRanking("org.diskless.loader.ipxe", 10);
            BootLan.Boot boot = boot("ipxe");

            boot.assertMarker("ipxe");
            List<BootLan.Step> attempt = boot.lastAttempt();
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
        lan.awaitLoader("ThirdPartyLoader", true);

        BootLan.Boot boot = boot("third-party");

        boot.assertMarker("third-party-loader");
        List<BootLan.Step> attempt = boot.lastAttempt();
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
        lan.awaitLoader("ThirdPartyLoader", false);

        BootLan.Boot boot = boot("fallback");

        boot.assertMarker("pxelinux");
        List<BootLan.Step> attempt = boot.lastAttempt();
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
        BootLan.Boot boot;
        try {
            lan.awaitGenerated("pxelinux.cfg/" + MAC_NAME, "diskless.marker=bootp console=ttyS0 panic=-1 ip=bootp");
            boot = boot("bootp");
        } finally {
            server.setProperty(PXELINUX_CFG, "append", "\"diskless.marker=pxelinux\"");
        }

        boot.assertMarker("bootp");
        String got = "diskless-init: ip=bootp address=" + FIXED_ADDRESS + " netmask=255.255.255.0";
        assertTrue(boot.console().lines().anyMatch(l -> l.strip().startsWith(got)
                        && l.contains("host=" + NODE) && l.contains("server=" + BootLan.BOOT_SERVER)),
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
        Path firmwareVars = Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"), lan.boots().resolve("ovmf-vars.fd"),
                StandardCopyOption.REPLACE_EXISTING);
        server.shell("nodes:remove " + NODE);
        String added = server.shell("nodes:add --boot kernel=" + KERNEL + " --boot initrd=" + INITRD
                + " --boot \"append=console=ttyS0 panic=-1\" " + NODE + " " + MAC);
        assertTrue(added.contains("Added node " + NODE), added);
        server.writeConfig("org.diskless.loader.grub.cfg", "append = \"diskless.marker=grub\"\n");
        String installed = server.shell("feature:install diskless-loader-grub");
        try {
            lan.awaitLoader("GrubLoader", true);
            lan.awaitGenerated("grub/grub.cfg-" + MAC_NAME, "diskless.marker=grub");
            String explained = server.shell("dhcp:explain --arch 7 " + MAC);
            assertTrue(explained.contains("=> boot file grub/grubnetx64.efi"), () -> installed + explained);

            // OVMF and GRUB holding the whole kernel and RAM disk want more than the BIOS boots' 256 MiB.
            BootLan.Boot boot = boot("grub-uefi", GRUB_BOOT_TIMEOUT, "-m", "512",
                    "-drive", "if=pflash,format=raw,readonly=on,file=" + firmwareCode,
                    "-drive", "if=pflash,format=raw,file=" + firmwareVars,
                    "-device", "virtio-net-pci,netdev=n0,mac=" + MAC + ",romfile=");

            boot.assertMarker("grub");
            List<String> sent = boot.lastAttempt().stream()
                    .filter(s -> s.protocol().equals("TFTP") && s.kind().equals("sent")).map(BootLan.Step::detail).toList();
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

    /** Powers the node on as a BIOS machine whose e1000 NIC boots iPXE's ROM. */
    private static BootLan.Boot boot(String label) {
        return boot(label, BOOT_TIMEOUT, "-device", "e1000,netdev=n0,mac=" + MAC, "-boot", "n");
    }

    private static BootLan.Boot boot(String label, Duration timeout, String... machine) {
        return lan.boot(label, MAC, timeout, machine);
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
}

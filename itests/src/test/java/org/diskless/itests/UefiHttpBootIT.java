package org.diskless.itests;

import static org.diskless.itests.BootLan.BOOT_SERVER;
import static org.diskless.itests.BootLan.INITRD;
import static org.diskless.itests.BootLan.KERNEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * UEFI firmware's own HTTP boot, with no TFTP at all: OVMF (virtio-net without an option ROM, so the
 * firmware's network stack runs, not iPXE's; its PXE turned off, so it boots by HTTP) asks our DHCP
 * server as an {@code HTTPClient}, is given the URL our DHCP server makes of the GRUB loader's
 * {@code httpFile} on our HTTP boot server, and loads GRUB from it. GRUB, started over HTTP,
 * reads the grub.cfg the GRUB loader generates from the same server, and that config the node's own,
 * which loads kernel and RAM disk by HTTP too, until the RAM disk prints the marker.
 *
 * <p>The boot network has a DNS server, as most have, and GRUB 2.06 comes up without any network
 * when the firmware was given one (option 6): the README's client class that leaves option 6 out for
 * HTTP boot clients makes the boot work, and without it the same boot stops at {@code grub>}. The
 * second boot takes the class away, so the steps run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UefiHttpBootIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final String NODE = "uefi-http01";
    private static final String MAC = "52:54:00:d1:5c:16";
    private static final String MAC_NAME = "01-52-54-00-d1-5c-16";
    /** GRUB with HTTP built in (prepare-boot-files.sh): Debian 12's signed image has no http module. */
    private static final String GRUB_IMAGE = "grub/grubhttpx64.efi";
    private static final String URL = "http://" + BOOT_SERVER + ":8080/" + GRUB_IMAGE;
    private static final String GRUB_CFG = "org.diskless.loader.grub.cfg";
    /** The README's example, word for word. */
    private static final String GRUB_HTTP_CLASS = "org.diskless.dhcp.class-grubhttp.cfg";
    private static final Path FIRMWARE_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    private static final Path FIRMWARE_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    /**
     * Firmware, GRUB, then kernel and RAM disk over TCP, all under software emulation on a shared
     * machine; this bounds a stuck boot.
     */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(420);
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private static BootLan lan;

    @BeforeAll
    static void nodeGrubOverHttpAndDns() throws IOException {
        assertTrue(Files.isRegularFile(FIRMWARE_CODE), "apt-get install --no-install-recommends ovmf");
        lan = BootLan.create(server);
        assertTrue(Files.isRegularFile(server.tftpboot().resolve(GRUB_IMAGE)),
                "prepare-boot-files.sh could not make " + GRUB_IMAGE + " (grub-mkimage)");
        long mark = server.logMark();
        server.setProperty(BootLan.SUBNET_CFG, "dnsServers", "\"" + BOOT_SERVER + "\"");
        server.writeConfig(GRUB_HTTP_CLASS, "architecture = \"16\"\nremove = \"6\"\n");
        assertTrue(server.awaitLogLine(mark, SETTLE, "DHCP subnet pxeboot", "in force").isPresent()
                        && server.awaitLogLine(mark, SETTLE, "DHCP client class grubhttp", "in force").isPresent(),
                () -> "the DNS server or the client class was not taken:\n" + server.logSince(mark));
        String added = server.shell("nodes:add --boot kernel=" + KERNEL + " --boot initrd=" + INITRD
                + " --boot \"append=console=ttyS0 panic=-1\" " + NODE + " " + MAC);
        assertTrue(added.contains("Added node " + NODE), added);
        server.writeConfig(GRUB_CFG, "httpFile = \"" + GRUB_IMAGE + "\"\nappend = \"diskless.marker=grub-http\"\n");
        server.shell("feature:install diskless-loader-grub");
        lan.awaitLoader("GrubLoader", true);
        lan.awaitGenerated("grub/grub.cfg-" + MAC_NAME, "diskless.marker=grub-http");
    }

    @AfterAll
    static void removeTheNodeTheLoaderAndTheClass() {
        server.shell("feature:uninstall diskless-loader-grub");
        server.shell("nodes:remove " + NODE);
        server.deleteConfig(GRUB_HTTP_CLASS);
    }

    @Test
    @Order(1)
    void uefiFirmwareBootsTheNodeThroughGrubWithEveryFileOverHttp() throws IOException {
        String explained = server.shell("dhcp:explain --arch 16 " + MAC);
        assertTrue(explained.contains("loader 'grub' (ranking -5): names " + GRUB_IMAGE), explained);
        assertTrue(explained.contains("=> boot file " + URL), explained);

        BootLan.Boot boot = boot("uefi-http");

        boot.assertMarker("grub-http");
        List<BootLan.Step> attempt = boot.lastAttempt();
        boot.assertDhcpExchange(attempt, URL);
        boot.assertSent(attempt, List.of("HTTP"), GRUB_IMAGE, "grub/grub.cfg", "grub/grub.cfg-" + MAC_NAME,
                KERNEL, INITRD);
        List<BootLan.Step> tftp = attempt.stream().filter(s -> s.protocol().equals("TFTP")).toList();
        assertEquals(List.of(), tftp, () -> "the boot used TFTP" + boot.diagnostics());
        assertEquals(List.of(), boot.onTheWire("dhcp.option.type == 6", "frame.number"),
                () -> "the client class left option 6 in" + boot.diagnostics());
    }

    @Test
    @Order(2)
    void withoutTheClientClassTheDnsServerLeavesGrubWithoutNetworkAtItsPrompt() throws IOException {
        long mark = server.logMark();
        server.deleteConfig(GRUB_HTTP_CLASS);
        assertTrue(server.awaitLogLine(mark, SETTLE, "DHCP client class grubhttp removed").isPresent(),
                () -> "the DHCP server did not drop the class:\n" + server.logSince(mark));

        BootLan.Boot boot = boot("uefi-http-dns");

        assertTrue(boot.console().contains("grub>"), () -> "GRUB did not stop at its prompt" + boot.diagnostics());
        assertFalse(boot.onTheWire("dhcp.option.type == 6 && dhcp.option.dhcp == 5", "frame.number").isEmpty(),
                () -> "the ACK carried no option 6" + boot.diagnostics());
        // GRUB came, and asked for nothing more: no prefix, no config.
        boot.assertSent(boot.lastAttempt(), List.of("HTTP"), GRUB_IMAGE);
    }

    /** OVMF with HTTP boot over IPv4 the only boot option of its NIC, with fresh variables. */
    private static BootLan.Boot boot(String label) throws IOException {
        Path firmwareVars = Files.copy(FIRMWARE_VARS, lan.boots().resolve(label + "-vars.fd"),
                StandardCopyOption.REPLACE_EXISTING);
        return lan.boot(label, MAC, BOOT_TIMEOUT, "-m", "512",
                "-drive", "if=pflash,format=raw,readonly=on,file=" + FIRMWARE_CODE,
                "-drive", "if=pflash,format=raw,file=" + firmwareVars,
                "-device", "virtio-net-pci,netdev=n0,mac=" + MAC + ",romfile=",
                "-fw_cfg", "name=opt/org.tianocore/IPv4PXESupport,string=no",
                "-fw_cfg", "name=opt/org.tianocore/IPv6PXESupport,string=no");
    }
}

package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A boot LAN for a real PXE client in the server namespace of a {@link DisklessServer}, as
 * {@link PxeBootIT} describes it: bridge {@value #BRIDGE} (198.18.6.1/24, the DHCP server's
 * {@code interface}) with a subnet and pool, qemu's tap {@value #TAP}, a veth into the client
 * namespace; the boot files (pxelinux, iPXE, a Debian kernel, RAM disks built by boot:initrd); and
 * a node powered on under qemu until it powers itself off.
 */
final class QemuPxeLan {

    static final String BRIDGE = "dlq-br0";
    static final String TAP = "dlq-tap0";
    private static final String LAN_PORT = "dlq-lanport";
    private static final String LAN_CLIENT = "dlq-lan0";
    static final String BOOT_SERVER_CIDR = "198.18.6.1/24";

    static final String KERNEL = "images/vmlinuz";
    static final String INITRD = "images/initrd.gz";
    /** The RAM disk with klibc's ipconfig and the NIC driver, for the ip=bootp boot. */
    static final String INITRD_BOOTP = "images/initrd-bootp.gz";

    static final String DHCP_CFG = "org.diskless.dhcp.cfg";
    static final String SUBNET_CFG = "org.diskless.dhcp.subnet-pxeboot.cfg";

    private static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** SeaBIOS prints this once every boot device failed, the NIC included; waiting on would only time out. */
    private static final String GAVE_UP = "No bootable device";
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\u001Bc");

    /** What one power-on showed: qemu's end, the serial console without escapes, the capture of the LAN. */
    record PowerOn(Exec.Result qemu, String console, Path capture) {
    }

    private final DisklessServer server;
    private final Path boots;

    /** Checks the tools, then prepares the boot files, the LAN and the DHCP server on it. */
    QemuPxeLan(DisklessServer server) throws IOException {
        this.server = server;
        for (String tool : List.of("qemu-system-x86_64", "dumpcap", "tshark")) {
            Exec.Result which = server.inServerNs(COMMAND_TIMEOUT, "sh", "-c", "command -v " + tool);
            if (!which.ok()) {
                fail(tool + " is needed: apt-get install --no-install-recommends qemu-system-x86 ipxe-qemu tshark\n"
                        + which.describe());
            }
        }
        boots = Files.createDirectories(server.clientDir().resolveSibling("boots"));
        prepareBootFiles();
        buildBootLan();
        configureDhcp();
    }

    /** Where the consoles, captures and built files of the boots are kept. */
    Path boots() {
        return boots;
    }

    /**
     * pxelinux, iPXE and a Debian kernel straight into the boot tree, and the RAM disk as an operator
     * makes it: a root directory, turned into images/initrd.gz by the server's boot:initrd (built
     * twice, the image is the same bytes), and the BOOTP boot's root into images/initrd-bootp.gz.
     */
    private void prepareBootFiles() {
        Path script = resource("/pxe/prepare-boot-files.sh");
        Path root = boots.resolve("initrd-root");
        Exec.Result prepared = Exec.run(boots, PREPARE_TIMEOUT,
                List.of("bash", script.toString(), server.tftpboot().toString(), root.toString()));
        if (!prepared.ok()) {
            fail("cannot prepare the boot files:\n" + prepared.describe());
        }
        Path initrd = server.tftpboot().resolve(INITRD);
        String built = server.shell("boot:initrd " + root + " " + initrd);
        assertTrue(built.contains("Wrote " + initrd + ": ") && built.contains("1 device node"), built);
        Path again = boots.resolve("initrd-again.gz");
        server.shell("boot:initrd " + root + " " + again);
        assertEquals(DisklessServer.sha256(initrd), DisklessServer.sha256(again), "two builds of one tree differ");
        Path bootpInitrd = server.tftpboot().resolve(INITRD_BOOTP);
        String bootpBuilt = server.shell("boot:initrd " + root + "-bootp " + bootpInitrd);
        assertTrue(bootpBuilt.contains("Wrote " + bootpInitrd + ": "), bootpBuilt);
    }

    /**
     * Bridge, tap and a veth to the client namespace, all made inside the namespaces (their names
     * cannot clash with the host's) and gone with them. The veth also gives the bridge a carrier
     * before qemu runs: the DHCP server takes an interface without one as down and refuses it.
     */
    private void buildBootLan() {
        inServerNs("ip", "link", "add", BRIDGE, "type", "bridge", "forward_delay", "0");
        inServerNs("ip", "tuntap", "add", "dev", TAP, "mode", "tap");
        inServerNs("ip", "link", "set", TAP, "master", BRIDGE);
        inServerNs("ip", "link", "add", LAN_PORT, "type", "veth", "peer", "name", LAN_CLIENT,
                "netns", server.clientNamespace());
        inServerNs("ip", "link", "set", LAN_PORT, "master", BRIDGE);
        for (String link : List.of(TAP, LAN_PORT, BRIDGE)) {
            inServerNs("ip", "link", "set", link, "up");
        }
        inServerNs("ip", "addr", "add", BOOT_SERVER_CIDR, "dev", BRIDGE);
        Exec.Result up = server.client("ip", "link", "set", LAN_CLIENT, "up");
        assertTrue(up.ok(), up::describe);
    }

    /** As an operator would: the boot interface, unknown machines refused, and a subnet with a pool. */
    private void configureDhcp() {
        long mark = server.logMark();
        server.setProperty(DHCP_CFG, "interface", "\"" + BRIDGE + "\"");
        server.setProperty(DHCP_CFG, "unknownClients", "\"deny\"");
        server.writeConfig(SUBNET_CFG, String.join("\n",
                "network = \"198.18.6.0/24\"",
                "range = \"198.18.6.100-198.18.6.149\"", ""));
        Optional<String> pools = poll(SETTLE, Duration.ofMillis(300), () -> server.shell("dhcp:pools"),
                out -> out.contains("198.18.6.0/24"));
        assertTrue(pools.isPresent(), () -> "the boot subnet never reached dhcp:pools:\n" + server.shell("dhcp:pools")
                + "\n" + server.logSince(mark));
        Optional<String> applied = server.awaitLogLine(mark, SETTLE, "DHCP server (server mode) listening");
        assertTrue(applied.isPresent() && !server.logSince(mark).contains("Refused etc/org.diskless.dhcp"),
                () -> "the DHCP settings were not taken:\n" + server.logSince(mark));
    }

    /** Waits until the client namespace reads {@code name} over TFTP holding {@code expected}: generated for the node. */
    void awaitGenerated(String name, String expected) {
        Path got = server.clientDir().resolve("generated-" + name.replaceAll("[^A-Za-z0-9.-]", "_"));
        Optional<String> config = poll(SETTLE, Duration.ofMillis(300), () -> {
            Exec.Result r = server.client("curl", "-sS", "tftp://" + DisklessServer.SERVER_IP + "/" + name, "-o",
                    got.toString());
            return r.ok() ? read(got) : "";
        }, text -> text.contains(expected));
        assertTrue(config.isPresent(), () -> name + " never held '" + expected + "':\n" + read(got)
                + "\n" + server.shell("nodes:list"));
    }

    private void inServerNs(String... argv) {
        Exec.Result r = server.inServerNs(COMMAND_TIMEOUT, argv);
        assertTrue(r.ok(), r::describe);
    }

    /**
     * Powers a node on, on the firmware and NIC {@code machine} names (the NIC on netdev {@code n0},
     * the boot LAN's tap), with a capture of the boot LAN running, and returns once it powered
     * itself off, gave up, or {@code timeout} passed.
     */
    PowerOn powerOn(String label, Duration timeout, String... machine) {
        Path serial = boots.resolve(label + ".serial.log");
        Path capture = boots.resolve(label + ".pcapng");
        // Full-size frames are TFTP data blocks, 11 000 of them per boot: left out, the capture stays small.
        Exec.Running dumpcap = server.inServerNsAsync("dumpcap", "-q", "-i", BRIDGE, "-f", "not greater 1000",
                "-w", capture.toString());
        if (poll(Duration.ofSeconds(10), Duration.ofMillis(100), () -> Files.exists(capture), Boolean::booleanValue)
                .isEmpty()) {
            fail("dumpcap did not start capturing on " + BRIDGE + ":\n" + dumpcap.stop(Duration.ofSeconds(5)).describe());
        }
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "256",
                "-display", "none", "-machine", "graphics=off", "-monitor", "none", "-no-reboot",
                "-serial", "file:" + serial,
                "-netdev", "tap,id=n0,ifname=" + TAP + ",script=no,downscript=no"));
        command.addAll(List.of(machine));
        Exec.Running qemu = server.inServerNsAsync(command.toArray(String[]::new));
        poll(timeout, Duration.ofMillis(500), () -> !qemu.isAlive() || read(serial).contains(GAVE_UP),
                Boolean::booleanValue);
        Exec.Result run = qemu.await(Duration.ofSeconds(5));
        dumpcap.stop(Duration.ofSeconds(10));
        return new PowerOn(run, ANSI.matcher(read(serial)).replaceAll(""), capture);
    }

    static Path resource(String name) {
        URL url = QemuPxeLan.class.getResource(name);
        if (url == null) {
            fail(name + " is not on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

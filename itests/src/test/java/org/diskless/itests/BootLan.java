package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A boot LAN for real machines under qemu, in a running distribution's server namespace, and the
 * boots on it: the tests that power a machine on (PxeBootIT, UefiHttpBootIT) share it.
 *
 * <p>The LAN: bridge {@value #BRIDGE} (198.18.6.1/24, the DHCP server's {@code interface}), qemu's
 * tap {@value #TAP}, and a veth into the client namespace, a second machine on that LAN. The server
 * keeps its management address on veth0 (198.18.5.1), so the DHCP server has to pick the boot
 * network out of two, as on a real boot server. A boot powers a machine on with a capture of the LAN
 * running and returns what the serial console, qemu, the capture and boot:status then show.
 */
final class BootLan {

    static final String BRIDGE = "dlq-br0";
    static final String TAP = "dlq-tap0";
    static final String BOOT_SERVER = "198.18.6.1";
    static final String KERNEL = "images/vmlinuz";
    static final String INITRD = "images/initrd.gz";
    /** The RAM disk with klibc's ipconfig and the NIC driver, for the ip=bootp boot. */
    static final String INITRD_BOOTP = "images/initrd-bootp.gz";
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private static final String LAN_PORT = "dlq-lanport";
    private static final String LAN_CLIENT = "dlq-lan0";
    private static final String BOOT_SERVER_CIDR = BOOT_SERVER + "/24";
    private static final Pattern POOL_ADDRESS = Pattern.compile("198\\.18\\.6\\.1[0-4][0-9]");
    private static final String DHCP_CFG = "org.diskless.dhcp.cfg";
    static final String SUBNET_CFG = "org.diskless.dhcp.subnet-pxeboot.cfg";
    private static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    /**
     * What a machine prints once it cannot go on: every boot device failed, the NIC included (SeaBIOS;
     * OVMF then starts its shell), or GRUB found no config and waits at its prompt. Waiting on would
     * only time out.
     */
    private static final List<String> GAVE_UP = List.of("No bootable device", "Shell> ", "grub> ");

    private static final Pattern STEP = Pattern.compile("^\\s+\\S+\\s+\\+\\S+ s\\s+(\\S+)\\s+(\\S+)\\s*(.*)$");
    private static final Pattern SENT_FILE = Pattern.compile("^(\\S+)\\s+(\\d+) bytes");
    private static final Pattern ZERO_COUNTER = Pattern.compile(".*\\s0(\\s+\\(.*)?");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\u001Bc");

    private final DisklessServer server;
    private final Path boots;

    private BootLan(DisklessServer server, Path boots) {
        this.server = server;
        this.boots = boots;
    }

    /**
     * Checks the tools, puts kernel and RAM disks into the boot tree, builds the LAN and has the DHCP
     * server serve it, as an operator would: the boot interface, unknown machines refused, and a
     * subnet with a pool.
     */
    static BootLan create(DisklessServer server) throws IOException {
        for (String tool : List.of("qemu-system-x86_64", "dumpcap", "tshark")) {
            Exec.Result which = server.inServerNs(COMMAND_TIMEOUT, "sh", "-c", "command -v " + tool);
            if (!which.ok()) {
                fail(tool + " is needed: apt-get install --no-install-recommends qemu-system-x86 ipxe-qemu tshark\n"
                        + which.describe());
            }
        }
        BootLan lan = new BootLan(server, Files.createDirectories(server.clientDir().resolveSibling("boots")));
        lan.prepareBootFiles();
        lan.build();
        lan.configureDhcp();
        return lan;
    }

    /** Where the boots' consoles and captures are kept, and what a test puts beside them. */
    Path boots() {
        return boots;
    }

    /**
     * pxelinux, iPXE, GRUB and a Debian kernel straight into the boot tree, and the RAM disk as an
     * operator makes it: a root directory, turned into images/initrd.gz by the server's boot:initrd
     * (built twice, the image is the same bytes), and the BOOTP boot's root into images/initrd-bootp.gz.
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
    private void build() {
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

    void inServerNs(String... argv) {
        Exec.Result r = server.inServerNs(COMMAND_TIMEOUT, argv);
        assertTrue(r.ok(), r::describe);
    }

    /** Waits until the file {@code name} the server generates holds {@code expected}, as TFTP serves it. */
    void awaitGenerated(String name, String expected) {
        Path got = server.clientDir().resolve("generated-" + name.replaceAll("[^A-Za-z0-9.-]", "_"));
        Optional<String> config = poll(SETTLE, Duration.ofMillis(300), () -> {
            Exec.Result r = server.client("curl", "-sS", "tftp://" + SERVER_IP + "/" + name, "-o", got.toString());
            return r.ok() ? read(got) : "";
        }, text -> text.contains(expected));
        assertTrue(config.isPresent(), () -> name + " never held '" + expected + "':\n" + read(got)
                + "\n" + server.shell("nodes:list"));
    }

    /** Waits until a BootLoader service of {@code component} is registered, or is gone. */
    void awaitLoader(String component, boolean registered) {
        Optional<String> services = poll(SETTLE, Duration.ofMillis(300),
                () -> server.shell("service:list org.diskless.api.boot.BootLoader"),
                list -> list.contains(component) == registered);
        assertTrue(services.isPresent(), () -> component + (registered ? " never registered" : " is still registered")
                + ":\n" + server.shell("service:list org.diskless.api.boot.BootLoader"));
    }

    // ---------------------------------------------------------------- one boot

    /**
     * Powers the machine {@code mac} on, on the firmware and NIC {@code machine} names (the NIC on
     * netdev {@code n0}, the LAN's tap), with a capture of the LAN running, and returns once it
     * powered itself off, gave up, or {@code timeout} passed.
     */
    Boot boot(String label, String mac, Duration timeout, String... machine) {
        Path serial = boots.resolve(label + ".serial.log");
        Path capture = boots.resolve(label + ".pcapng");
        // Full-size frames are file data, 11 000 of them per TFTP boot: left out, the capture stays small.
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
        poll(timeout, Duration.ofMillis(500), () -> !qemu.isAlive() || gaveUp(read(serial)),
                Boolean::booleanValue);
        Exec.Result run = qemu.await(Duration.ofSeconds(5));
        dumpcap.stop(Duration.ofSeconds(10));
        return new Boot(label, mac, run, ANSI.matcher(read(serial)).replaceAll(""), capture);
    }

    /** One line of boot:status: protocol, kind ({@code DISCOVER}, {@code sent}, …) and the rest. */
    record Step(String protocol, String kind, String detail) {
    }

    /** What one power-on showed: qemu's end, the serial console, the capture. */
    final class Boot {

        private final String label;
        private final String mac;
        private final Exec.Result qemu;
        private final String console;
        private final Path capture;

        private Boot(String label, String mac, Exec.Result qemu, String console, Path capture) {
            this.label = label;
            this.mac = mac;
            this.qemu = qemu;
            this.console = console;
            this.capture = capture;
        }

        String console() {
            return console;
        }

        void assertMarker(String marker) {
            String line = "diskless-init: marker=" + marker;
            if (!qemu.ok() || console.lines().map(String::strip).noneMatch(line::equals)) {
                fail("the " + label + " boot did not reach '" + line + "'" + diagnostics());
            }
        }

        /** The steps of boot:status from the machine's last DHCP DISCOVER on. */
        List<Step> lastAttempt() {
            String status = server.shell("boot:status " + mac);
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

        /** DISCOVER, OFFER, REQUEST, ACK; offer and ACK give a pool address and {@code bootFile}. */
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
            assertSent(attempt, List.of("TFTP", "HTTP"), files);
        }

        /** Exactly these files were sent by the {@code protocols}, in this order, each whole. */
        void assertSent(List<Step> attempt, List<String> protocols, String... files) {
            List<String> sent = new ArrayList<>();
            for (Step step : attempt) {
                if (protocols.contains(step.protocol()) && step.kind().equals("sent")) {
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
         * The capture holds a BOOTREQUEST from the machine without option 53 and a BOOTREPLY without
         * it giving it {@code address}, of at least the 300 bytes of RFC 951 (UDP length 308).
         */
        void assertBootpOnTheWire(String address) {
            List<String> bootp = onTheWire("dhcp && !dhcp.option.dhcp", "dhcp.type", "dhcp.hw.mac_addr",
                    "dhcp.ip.your", "udp.length");
            List<String[]> packets = bootp.stream().map(l -> l.split("\t")).toList();
            assertTrue(packets.stream().anyMatch(p -> p[0].equals("1") && p[1].equals(mac)),
                    () -> "no BOOTREQUEST without option 53 from " + mac + ":\n" + bootp + diagnostics());
            assertTrue(packets.stream().anyMatch(p -> p[0].equals("2") && p[1].equals(mac) && p[2].equals(address)
                            && Integer.parseInt(p[3]) >= 308),
                    () -> "no BOOTREPLY without option 53 giving " + address + ":\n" + bootp + diagnostics());
        }

        /** The {@code fields} of the captured packets {@code filter} shows, one line a packet, tab-separated. */
        List<String> onTheWire(String filter, String... fields) {
            List<String> command = new ArrayList<>(List.of("tshark", "-r", capture.toString(), "-Y", filter, "-T",
                    "fields"));
            for (String field : fields) {
                command.addAll(List.of("-e", field));
            }
            Exec.Result r = Exec.run(boots, Duration.ofSeconds(60), command);
            assertTrue(r.ok(), r::describe);
            return r.stdout().lines().toList();
        }

        String diagnostics() {
            List<String> consoleLines = console.lines().toList();
            Exec.Result wire = Exec.run(boots, Duration.ofSeconds(60), List.of("tshark", "-r", capture.toString(),
                    "-Y", "dhcp || tftp.opcode == 1 || tftp.opcode == 5 || tftp.opcode == 6 || http"));
            return "\n--- qemu ---\n" + qemu.describe()
                    + "\n--- serial console, last lines ---\n"
                    + String.join("\n", consoleLines.subList(Math.max(0, consoleLines.size() - 30), consoleLines.size()))
                    + "\n--- boot:status " + mac + " ---\n" + server.shellResult("boot:status " + mac, COMMAND_TIMEOUT).stdout()
                    + "\n--- dhcp:stats, counters above 0 ---\n" + server.shellResult("dhcp:stats", COMMAND_TIMEOUT).stdout()
                            .lines().filter(l -> !ZERO_COUNTER.matcher(l).matches()).reduce((a, b) -> a + "\n" + b).orElse("")
                    + "\n--- the wire (" + capture + ") ---\n" + wire.stdout().lines().limit(60)
                            .reduce((a, b) -> a + "\n" + b).orElse(wire.describe());
        }
    }

    // ---------------------------------------------------------------- small helpers

    private static boolean gaveUp(String console) {
        return GAVE_UP.stream().anyMatch(console::contains);
    }

    static Path resource(String name) {
        URL url = BootLan.class.getResource(name);
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

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.diskless.itests;

import static org.diskless.itests.DisklessServer.poll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A new user's first hour, run from README.md itself: the commands come from its code blocks, so
 * this test fails when the README stops telling the truth. The build has happened (the tarball
 * under test stands where the README expects it); from there the test installs the distribution
 * as the README says (with a folder of its own for {@code /opt}), starts it in the background,
 * gets README.txt with tftp-hpa, lets itself into the SSH console with the README's key commands,
 * applies the README's example subnet, adds the README's node, stops the server, wipes
 * {@code data/}, starts it again, finds the node still there, and stops it with {@code bin/stop}.
 *
 * <p>What a test cannot do as a person would is changed in the commands, and only that: no
 * {@code sudo} (the test runs as root), its own folders for {@code /opt} and {@code ~}, no
 * passphrase for the new key, no host-key question. Everything runs in a network namespace of its
 * own, whose host has an address in the example subnet, as the README asks.
 */
class ReadmeFirstHourIT {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(15);
    private static final Path README = Path.of(System.getProperty("diskless.readme", "../README.md"));

    private final String namespace = "dlit-readme-" + ProcessHandle.current().pid() + "-1";
    private boolean namespaceMade;
    private Path work;
    private Path opt;
    private Path userHome;
    private Path home;
    private String console;
    private final long started = System.nanoTime();

    @Test
    void aNewUserFollowsTheReadme() throws IOException {
        List<List<String>> blocks = Readme.codeBlocks(Files.readString(README, StandardCharsets.UTF_8));
        Path tarball = tarball();
        prepare(tarball);

        // Install: the tarball the build made, unpacked outside the repository.
        List<String> install = Readme.block(blocks, "tar xzf", "the install commands");
        String tarLine = Readme.line(install, "tar xzf");
        assertTrue(tarLine.contains("karaf-assembly/target/" + tarball.getFileName()),
                () -> "the README installs another tarball than the build makes (" + tarball.getFileName() + "): " + tarLine);
        step("install: " + install);
        install.forEach(line -> sh(work.resolve("repo"), line));
        home = opt.resolve("diskless");
        assertTrue(Files.isExecutable(home.resolve("bin/karaf")), () -> "the install commands left no " + home + "/bin/karaf");

        // Start in the background; it serves README.txt over TFTP.
        List<String> control = Readme.block(blocks, "bin/start", "the start and stop commands");
        String start = Readme.line(control, "bin/start");
        String status = Readme.line(control, "bin/status");
        String stop = Readme.line(control, "bin/stop");
        step(start);
        sh(work, start);
        awaitStatus(status, "Running");
        String tryIt = Readme.line(Readme.block(blocks, "-c get README.txt", "the TFTP try-it command"), "-c get README.txt");
        Path client = Files.createDirectories(work.resolve("client"));
        byte[] readmeTxt = Files.readAllBytes(home.resolve("tftpboot/README.txt"));
        Path got = client.resolve("README.txt");
        Optional<Exec.Result> served = poll(READY_TIMEOUT, Duration.ofMillis(500), () -> run(client, tryIt),
                r -> r.ok() && Files.exists(got) && sameBytes(got, readmeTxt));
        assertTrue(served.isPresent(), () -> "'" + tryIt + "' did not get README.txt within " + READY_TIMEOUT.toSeconds()
                + " s of '" + start + "':\n" + run(client, tryIt).describe() + log());

        step("served README.txt: " + tryIt);
        // Into the console with the README's key.
        List<String> keys = Readme.block(blocks, "keys.properties", "the console key commands");
        keys.stream().filter(l -> !l.startsWith("ssh -")).forEach(line -> sh(work, line.replace("ssh-keygen ", "ssh-keygen -q -N '' ")));
        console = Readme.line(keys, "ssh -").replaceFirst("^ssh ", "ssh -n -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR ");
        awaitConsole();
        step("console: " + console);

        // The example subnet; this host has an address in it (on a veth end in the namespace).
        List<String> subnet = Readme.block(blocks, "network = ", "the example subnet");
        String network = Readme.value(subnet, "network");
        Files.writeString(home.resolve("etc/org.diskless.dhcp.subnet-example.cfg"), String.join("\n", subnet) + "\n");
        awaitShell("dhcp:pools", out -> out.contains(network), "the example subnet " + network + " in force");

        // A node, kept across a stop, a wipe of data/ and a start.
        List<String> nodes = Readme.block(blocks, "nodes:add", "the node commands");
        String add = Readme.line(nodes, "nodes:add");
        String[] words = add.split("\\s+");
        String node = words[words.length - 2];
        String mac = words[words.length - 1];
        step("subnet " + network + " in force; " + add);
        shell(add);
        Path nodeFile = home.resolve("etc/org.diskless.node-" + node + ".cfg");
        assertTrue(Files.exists(nodeFile), () -> "'" + add + "' wrote no " + nodeFile);
        String list = Readme.line(nodes, "nodes:list");
        awaitShell(list, out -> out.contains(node) && out.contains(mac), "node " + node + " listed");

        step(stop);
        long firstJava = stopAndAwaitExit(stop, status);
        step("stopped; wiping data/, then " + start);
        DisklessServer.wipe(home.resolve("data"));
        sh(work, start);
        awaitStatus(status, "Running");
        awaitConsole();
        awaitShell(list, out -> out.contains(node) && out.contains(mac), "node " + node + " listed after a wipe of data/");
        assertTrue(Files.exists(nodeFile), () -> nodeFile + " is gone after the restart");
        awaitShell("dhcp:pools", out -> out.contains(network), "the example subnet after a wipe of data/");

        step("node kept; " + stop);
        long secondJava = stopAndAwaitExit(stop, status);
        step("stopped");
        assertTrue(secondJava != firstJava, "the second start ran another JVM");
    }

    @AfterEach
    void cleanUp() {
        if (home != null && Files.exists(home.resolve("karaf.pid"))) {
            // Only the JVM this test started: its command line names the work folder (a pid may be reused).
            javaPid().flatMap(ProcessHandle::of)
                    .filter(java -> java.info().commandLine().map(c -> c.contains(work.toString())).orElse(false))
                    .ifPresent(java -> {
                        run(work, home + "/bin/stop");
                        if (poll(STOP_TIMEOUT, Duration.ofMillis(200), java::isAlive, alive -> !alive).isEmpty()) {
                            java.destroyForcibly();
                        }
                    });
        }
        if (namespaceMade) {
            Exec.run(Path.of("/"), COMMAND_TIMEOUT, List.of("ip", "netns", "del", namespace));
        }
    }

    // ------------------------------------------------------------------ the steps

    private void step(String what) {
        System.out.printf("[itests ReadmeFirstHourIT] %.1f s: %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /** Wiped work folder, the repository's target/ holding the tarball, our /opt and ~, the namespace. */
    private void prepare(Path tarball) throws IOException {
        Exec.Result id = Exec.run(Path.of("/"), COMMAND_TIMEOUT, List.of("id", "-u"));
        assertEquals("0", id.stdout().trim(), "this integration test runs as root (network namespaces, port 69)");
        work = Path.of(System.getProperty("diskless.itests.work", "target/it")).toAbsolutePath().resolve("ReadmeFirstHourIT");
        DisklessServer.wipe(work);
        Path target = Files.createDirectories(work.resolve("repo/karaf-assembly/target"));
        Files.createSymbolicLink(target.resolve(tarball.getFileName()), tarball.toAbsolutePath());
        opt = Files.createDirectories(work.resolve("opt"));
        userHome = Files.createDirectories(work.resolve("home"));

        check(List.of("ip", "netns", "add", namespace));
        namespaceMade = true;
        check(List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
        // A veth pair with both ends in the namespace: the boot network's interface, up and with a carrier.
        check(List.of("ip", "-n", namespace, "link", "add", "boot0", "type", "veth", "peer", "name", "boot1"));
        check(List.of("ip", "-n", namespace, "link", "set", "boot0", "up"));
        check(List.of("ip", "-n", namespace, "link", "set", "boot1", "up"));
        // The example subnet's first address (its router's, 192.0.2.1): the host's address on the boot network.
        check(List.of("ip", "-n", namespace, "addr", "add", "192.0.2.1/24", "dev", "boot0"));
    }

    private void awaitStatus(String status, String expected) {
        Optional<Exec.Result> reached = poll(READY_TIMEOUT, Duration.ofMillis(500), () -> run(work, status),
                r -> r.stdout().lines().anyMatch(l -> l.startsWith(expected)));
        assertTrue(reached.isPresent(), () -> "'" + status + "' never said " + expected + ":\n" + run(work, status).describe() + log());
    }

    private void awaitConsole() {
        awaitShell("nodes:list", out -> true, "the console answering");
    }

    /** Stops with the README's command; returns the JVM's pid once it has ended and status says so. */
    private long stopAndAwaitExit(String stop, String status) {
        long java = javaPid().orElseThrow(() -> new AssertionError("no karaf.pid in " + home + " while it runs"));
        Exec.Result stopped = sh(work, stop);
        Optional<Boolean> ended = poll(STOP_TIMEOUT, Duration.ofMillis(200),
                () -> ProcessHandle.of(java).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
        assertTrue(ended.isPresent(), () -> "the server (pid " + java + ") still runs " + STOP_TIMEOUT.toSeconds()
                + " s after '" + stop + "':\n" + stopped.describe() + log());
        awaitStatus(status, "Not Running");
        return java;
    }

    private void shell(String command) {
        Exec.Result r = consoleRun(command);
        assertTrue(r.ok() && !r.output().contains("Error"), () -> "console command '" + command + "' failed:\n" + r.describe());
    }

    private void awaitShell(String command, Predicate<String> done, String what) {
        Optional<Exec.Result> r = poll(APPLY_TIMEOUT.plus(READY_TIMEOUT), Duration.ofMillis(500), () -> consoleRun(command),
                res -> res.ok() && done.test(res.stdout()));
        assertTrue(r.isPresent(), () -> "waited in vain for " + what + ": '" + command + "' shows\n"
                + consoleRun(command).describe() + log());
    }

    private Exec.Result consoleRun(String command) {
        return run(work, console + " '" + command.replace("'", "'\\''") + "'");
    }

    // ------------------------------------------------------------------ running the README's lines

    /** Runs a README line as the README's user would (in the namespace), failing the test if it fails. */
    private Exec.Result sh(Path directory, String line) {
        Exec.Result r = run(directory, line);
        if (!r.ok()) {
            fail("the README's command '" + line + "' failed:\n" + r.describe() + log());
        }
        return r;
    }

    /**
     * A README line through sh in the namespace, with our folders for /opt and ~, without sudo and
     * without JAVA_HOME (the README says the start finds Java 17 itself), ANSI colours removed.
     */
    private Exec.Result run(Path directory, String line) {
        String command = line.replaceAll("\\bsudo\\s+", "").replace("/opt/", opt + "/").replace(" /opt", " " + opt);
        Exec.Result r = Exec.run(directory, COMMAND_TIMEOUT, List.of("ip", "netns", "exec", namespace,
                "env", "-u", "JAVA_HOME", "HOME=" + userHome, "sh", "-c", command));
        return new Exec.Result(r.command(), r.exitCode(), DisklessServer.stripAnsi(r.stdout()),
                DisklessServer.stripAnsi(r.stderr()), r.timedOut(), r.took());
    }

    private Optional<Long> javaPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(home.resolve("karaf.pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String log() {
        Path log = home == null ? null : home.resolve("data/log/karaf.log");
        if (log == null || !Files.exists(log)) {
            return "\n(no karaf.log)";
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return "\n--- tail of " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "\n(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void check(List<String> command) {
        Exec.Result r = Exec.run(Path.of("/"), COMMAND_TIMEOUT, command);
        if (!r.ok()) {
            fail("cannot set up the test's namespace:\n" + r.describe());
        }
    }

    private static Path tarball() {
        String property = System.getProperty("diskless.assembly");
        if (property == null || property.isBlank() || property.contains("${") || !Files.isRegularFile(Path.of(property))) {
            fail("System property diskless.assembly must name the distribution tarball; got " + property);
        }
        return Path.of(property);
    }

    private static boolean sameBytes(Path file, byte[] expected) {
        try {
            assertArrayEquals(expected, Files.readAllBytes(file));
            return true;
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    /** The README's code blocks (indented four spaces) and the commands in them. */
    static final class Readme {

        private static final Pattern KEY_VALUE = Pattern.compile("^(\\w+)\\s*=\\s*\"?([^\"]*)\"?$");

        private Readme() {
        }

        /** Every indented code block, its lines without the indent; blank lines end a block. */
        static List<List<String>> codeBlocks(String markdown) {
            List<List<String>> blocks = new ArrayList<>();
            List<String> current = null;
            String previous = "";
            for (String line : markdown.split("\n", -1)) {
                if (line.startsWith("    ") && (current != null || previous.isBlank())) {
                    if (current == null) {
                        current = new ArrayList<>();
                        blocks.add(current);
                    }
                    current.add(line.substring(4).strip());
                } else {
                    current = null;
                }
                previous = line;
            }
            return blocks;
        }

        /** The one block holding {@code marker}; fails the test naming {@code what} otherwise. */
        static List<String> block(List<List<String>> blocks, String marker, String what) {
            List<List<String>> found = blocks.stream().filter(b -> b.stream().anyMatch(l -> l.contains(marker))).toList();
            if (found.size() != 1) {
                fail("README.md should have one code block with " + what + " ('" + marker + "'), found " + found);
            }
            return found.get(0);
        }

        /** The block's line holding {@code marker}. */
        static String line(List<String> block, String marker) {
            return block.stream().filter(l -> l.contains(marker)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line with '" + marker + "' in the README block " + block));
        }

        /** The value of {@code key = "value"} in a configuration block. */
        static String value(List<String> block, String key) {
            for (String l : block) {
                Matcher m = KEY_VALUE.matcher(l);
                if (m.matches() && m.group(1).equals(key)) {
                    return m.group(2);
                }
            }
            throw new AssertionError("no '" + key + " = ...' in the README block " + block);
        }
    }
}

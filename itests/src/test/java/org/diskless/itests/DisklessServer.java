package org.diskless.itests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One running Diskless distribution per test class, reached over a veth pair between two network
 * namespaces made for it. Register it with
 * {@code @RegisterExtension static final DisklessServer server = new DisklessServer();}.
 *
 * <p>Before the class: checks root and {@code ip netns} (fails, never skips, without them), removes
 * namespaces left by a crashed run, unpacks the tarball into a wiped folder under target/it/, lets an
 * ECDSA key into the SSH console, creates the namespaces, starts {@code bin/karaf server} in the
 * server namespace and waits (at most 90 s) until a TFTP get from the client namespace and a console
 * command both work. After the class: {@code bin/stop}, then kills what is left of the process tree
 * it started, and deletes its namespaces. Every wait is bounded.
 *
 * <p>A test class may run several servers, each constructed with its own name
 * ({@code new DisklessServer("a")}): each gets its own copy of the distribution and its own
 * namespaces, which every other server of the same JVM leaves alone.
 */
public final class DisklessServer implements BeforeAllCallback, AfterAllCallback {

    public static final String SERVER_IP = "198.18.5.1";
    public static final String CLIENT_IP = "198.18.5.2";

    private static final String NS_PREFIX = "dlit-";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Namespaces a server of this JVM made and has not deleted yet: not stale, whatever the PID in their names says. */
    private static final Set<String> IN_USE = ConcurrentHashMap.newKeySet();
    /** Generous: a start takes 6-15 s alone, but a minute and more beside parallel builds. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHELL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SETUP_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final String TFTP_CFG = "org.diskless.tftp.cfg";
    private static final List<String> REQUIRED_TOOLS = List.of(
            "ip", "tar", "ssh", "ssh-keygen", "atftp", "tftp", "busybox", "curl");

    private final long pid = ProcessHandle.current().pid();
    private final String name;
    private String label;
    private String serverNs;
    private String clientNs;
    private Path work;
    private Path home;
    private Path clientDir;
    private Path key;
    private Path karafOutput;
    private byte[] originalTftpConfig;
    private Process karaf;
    private Thread shutdownHook;
    private final List<String> namespaces = new ArrayList<>();

    /** The one server of a test class. */
    public DisklessServer() {
        this("");
    }

    /** One of several servers of a test class: {@code name} (lower-case letters) tells their folders and log lines apart. */
    public DisklessServer(String name) {
        if (!name.matches("[a-z]*")) {
            throw new IllegalArgumentException("a server's name is lower-case letters: " + name);
        }
        this.name = name;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        label = context.getRequiredTestClass().getSimpleName() + (name.isEmpty() ? "" : "-" + name);
        try {
            start();
        } catch (Throwable t) {
            String diagnostics = diagnostics();
            cleanUp();
            throw new AssertionError("Cannot start the Diskless distribution for " + label + ": " + t.getMessage()
                    + diagnostics, t);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cleanUp();
    }

    private void start() throws IOException, InterruptedException {
        requireRootAndNetns();
        removeStaleNamespaces();

        Path tarball = tarball();
        Path workRoot = Path.of(System.getProperty("diskless.itests.work", "target/it")).toAbsolutePath();
        work = workRoot.resolve(label);
        wipe(work);
        Files.createDirectories(work);
        clientDir = Files.createDirectories(work.resolve("client"));
        Path dist = Files.createDirectories(work.resolve("dist"));
        check(Exec.run(work, Duration.ofSeconds(120), List.of("tar", "xzf", tarball.toString(), "-C", dist.toString())),
                "unpack " + tarball);
        try (Stream<Path> top = Files.list(dist)) {
            List<Path> dirs = top.filter(Files::isDirectory).toList();
            if (dirs.size() != 1 || !Files.isExecutable(dirs.get(0).resolve("bin/karaf"))) {
                fail(tarball + " should unpack to one folder holding bin/karaf, found " + dirs);
            }
            home = dirs.get(0);
        }
        originalTftpConfig = Files.readAllBytes(etc().resolve(TFTP_CFG));

        // RSA, as the README says: Karaf refuses about one ECDSA key in 256, which failed a whole IT class.
        key = work.resolve("itest_rsa");
        check(Exec.run(work, SETUP_COMMAND_TIMEOUT,
                List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-C", "dlit", "-f", key.toString())),
                "generate an RSA key");
        String publicKey = Files.readString(Path.of(key + ".pub")).trim().split("\\s+")[1];
        Files.writeString(etc().resolve("keys.properties"),
                "\nadmin = " + publicKey + ",_g_:admingroup\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        int n = SEQUENCE.incrementAndGet();
        serverNs = NS_PREFIX + "srv-" + pid + "-" + n;
        clientNs = NS_PREFIX + "cli-" + pid + "-" + n;
        createNamespaces();

        shutdownHook = new Thread(this::cleanUp, "dlit-cleanup-" + label);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        launch();
    }

    /** Starts bin/karaf server in the server namespace and waits until it serves. */
    private void launch() throws IOException, InterruptedException {
        karafOutput = work.resolve("karaf-console.out");
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", serverNs, home.resolve("bin/karaf").toString(),
                "server")
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(karafOutput.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("KARAF_"));
        // Karaf 4.4 runs on Java 17 and not on the newer JDK also installed here: use the one running the tests.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long started = System.nanoTime();
        karaf = builder.start();
        awaitReady();
        log("server ready in %.1f s (pid %d, namespaces %s/%s, home %s)",
                (System.nanoTime() - started) / 1e9, karaf.pid(), serverNs, clientNs, home);
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Path probe = clientDir.resolve("ready-probe.txt");
        byte[] readme = readAll(tftpboot().resolve("README.txt"));
        Exec.Result lastTftp = null;
        Exec.Result lastShell = null;
        boolean tftpReady = false;
        while (System.nanoTime() < deadline) {
            if (!karaf.isAlive()) {
                fail("bin/karaf server exited with code " + karaf.exitValue() + " before it served TFTP");
            }
            if (!tftpReady) {
                lastTftp = client(Duration.ofSeconds(10), "curl", "-sS", "--max-time", "2",
                        "tftp://" + SERVER_IP + "/README.txt", "-o", probe.toString());
                tftpReady = lastTftp.ok() && Files.exists(probe) && Arrays.equals(readAll(probe), readme);
            }
            if (tftpReady) {
                lastShell = shellResult("tftp:stats", Duration.ofSeconds(15));
                if (lastShell.ok() && lastShell.stdout().contains("Listening on")) {
                    return;
                }
            }
            Thread.sleep(300);
        }
        fail("the distribution was not ready within " + READY_TIMEOUT.toSeconds() + " s: "
                + (tftpReady ? "TFTP answers but the console does not:\n" + describe(lastShell)
                             : "no TFTP get of README.txt from " + CLIENT_IP + " worked:\n" + describe(lastTftp))
                + "\n" + dumpThreads());
    }

    /**
     * Writes the server JVM's threads to the work folder, for a start that hangs somewhere the log
     * does not tell (seen once: the console refused every connection for 80 s after generating its
     * host key, with nothing logged). Returns a line saying where, or why there is none.
     */
    private String dumpThreads() {
        Optional<ProcessHandle> java = karaf.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
        if (java.isEmpty()) {
            return "no thread dump: no java process below bin/karaf";
        }
        Path dump = work.resolve("karaf-threads.txt");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Exec.Result result = Exec.run(work, Duration.ofSeconds(30),
                List.of(jcmd.toString(), Long.toString(java.get().pid()), "Thread.print", "-l"));
        try {
            Files.writeString(dump, result.stdout() + result.stderr(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "no thread dump: cannot write " + dump + ": " + e.getMessage();
        }
        return result.ok() ? "threads of the server JVM: " + dump : "thread dump failed, see " + dump;
    }

    /**
     * Kills the running distribution with SIGKILL, the JVM and the script that started it, as a
     * power cut or the OOM killer would: nothing gets to flush or close. Returns once they are gone.
     */
    public void killHard() {
        Process k = karaf;
        List<ProcessHandle> tree = new ArrayList<>(k.descendants().toList());
        tree.add(k.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                fail("process " + p.pid() + " of the distribution did not die from SIGKILL: " + e);
            }
        }
    }

    /** Stops the distribution as an operator does (bin/stop) and returns once it has exited. */
    public void stop() {
        Process k = karaf;
        Exec.Result stop = Exec.run(home, STOP_TIMEOUT, List.of("ip", "netns", "exec", serverNs,
                home.resolve("bin/stop").toString()));
        try {
            if (!k.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("bin/stop did not end Karaf within " + STOP_TIMEOUT.toSeconds() + " s: " + stop.describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while stopping");
        }
    }

    /** Starts the distribution again in the same home (after {@link #killHard()} or {@link #stop()}) and waits until it serves. */
    public void restart() {
        if (karafAlive()) {
            fail("restart() needs the distribution stopped first");
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while restarting");
        }
    }

    /** Idempotent and bounded: stops Karaf, kills what is left of the processes it started, removes its namespaces. */
    private synchronized void cleanUp() {
        Process k = karaf;
        if (k != null) {
            karaf = null;
            if (k.isAlive()) {
                Exec.Result stop = Exec.run(home, STOP_TIMEOUT, List.of("ip", "netns", "exec", serverNs,
                        home.resolve("bin/stop").toString()));
                boolean exited = false;
                try {
                    exited = k.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (!exited) {
                    log("bin/stop did not end Karaf within %d s (%s); killing its process tree",
                            STOP_TIMEOUT.toSeconds(), stop.describe());
                }
            }
            // Whatever is still alive of what we started (a JVM child that survived, say) goes now.
            Exec.killTree(k);
        }
        for (String ns : List.copyOf(namespaces)) {
            Exec.Result del = Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, List.of("ip", "netns", "del", ns));
            if (!del.ok()) {
                log("cannot delete namespace %s: %s", ns, del.describe());
            }
            namespaces.remove(ns);
            IN_USE.remove(ns);
        }
        Thread hook = shutdownHook;
        if (hook != null && Thread.currentThread() != hook) {
            shutdownHook = null;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or will run: cleanUp is idempotent
            }
        }
    }

    // ------------------------------------------------------------------ setup steps

    private static void requireRootAndNetns() {
        Exec.Result id = Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, List.of("id", "-u"));
        if (!id.ok() || !id.stdout().trim().equals("0")) {
            fail("These integration tests must run as root (they create network namespaces and start a TFTP "
                    + "server on port 69); running as uid " + id.stdout().trim() + ". Run 'mvn -Pitests -pl itests -am verify' as root.");
        }
        for (String tool : REQUIRED_TOOLS) {
            Exec.Result which = Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, List.of("sh", "-c", "command -v " + tool));
            if (!which.ok()) {
                fail("The integration tests need '" + tool + "' on the PATH. On Debian: apt-get install "
                        + "--no-install-recommends iproute2 openssh-client atftp tftp-hpa busybox-static curl");
            }
        }
        Exec.Result netns = Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, List.of("ip", "netns", "list"));
        if (!netns.ok()) {
            fail("'ip netns' is not usable here, the integration tests need network namespaces:\n" + netns.describe());
        }
    }

    /**
     * Deletes {@code dlit-*} namespaces a crashed run left behind. A namespace whose owner (the PID in
     * its name) is another live process belongs to a run in progress and is left alone.
     */
    private void removeStaleNamespaces() {
        Exec.Result list = check(Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, List.of("ip", "netns", "list")),
                "list network namespaces");
        Pattern ours = Pattern.compile("^(" + Pattern.quote(NS_PREFIX) + "\\S*)");
        Pattern owner = Pattern.compile("^" + Pattern.quote(NS_PREFIX) + "[a-z]+-(\\d+)-\\d+$");
        for (String line : list.stdout().split("\n")) {
            Matcher m = ours.matcher(line.trim());
            if (!m.find()) {
                continue;
            }
            String ns = m.group(1);
            if (IN_USE.contains(ns)) {
                continue;
            }
            Matcher o = owner.matcher(ns);
            if (o.matches()) {
                long ownerPid = Long.parseLong(o.group(1));
                if (ownerPid != pid && ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
            }
            Exec.Result pids = Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, List.of("ip", "netns", "pids", ns));
            if (!pids.stdout().isBlank()) {
                log("stale namespace %s still holds processes %s (not ours to kill; deleting the namespace name only)",
                        ns, pids.stdout().trim().replace('\n', ' '));
            }
            log("deleting stale namespace %s", ns);
            Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, List.of("ip", "netns", "del", ns));
        }
    }

    private static Path tarball() {
        String property = System.getProperty("diskless.assembly");
        if (property == null || property.isBlank() || property.contains("${")) {
            fail("System property diskless.assembly must name the distribution tarball (failsafe sets it from "
                    + "${org.diskless:karaf-assembly:tar.gz}); got " + property);
        }
        Path tarball = Path.of(property);
        if (!Files.isRegularFile(tarball)) {
            fail("The distribution tarball " + tarball + " does not exist: build it with "
                    + "'mvn -pl karaf-assembly -am install' first");
        }
        return tarball;
    }

    private void createNamespaces() {
        for (String ns : List.of(serverNs, clientNs)) {
            check(Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, List.of("ip", "netns", "add", ns)), "create namespace " + ns);
            namespaces.add(ns);
            IN_USE.add(ns);
        }
        // Created inside the namespaces, so the names cannot clash with anything outside them.
        check(ip("link", "add", "veth0", "netns", serverNs, "type", "veth", "peer", "name", "veth0", "netns", clientNs),
                "create the veth pair");
        check(ip("-n", serverNs, "addr", "add", SERVER_IP + "/24", "dev", "veth0"), "address the server side");
        check(ip("-n", clientNs, "addr", "add", CLIENT_IP + "/24", "dev", "veth0"), "address the client side");
        for (String ns : List.of(serverNs, clientNs)) {
            check(ip("-n", ns, "link", "set", "lo", "up"), "loopback up in " + ns);
            check(ip("-n", ns, "link", "set", "veth0", "up"), "veth up in " + ns);
        }
    }

    private static Exec.Result ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        return Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, command);
    }

    private static Exec.Result check(Exec.Result result, String what) {
        if (!result.ok()) {
            fail("cannot " + what + ":\n" + result.describe());
        }
        return result;
    }

    /** Deletes {@code dir} and everything in it, if it exists. */
    static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ------------------------------------------------------------------ helpers for tests

    /** Runs a command in the client namespace (working directory: {@link #clientDir()}), at most 120 s. */
    public Exec.Result client(String... argv) {
        return client(CLIENT_TIMEOUT, argv);
    }

    public Exec.Result client(Duration timeout, String... argv) {
        return Exec.run(clientDir, timeout, inClientNs(argv));
    }

    /** Starts a command in the client namespace and returns at once; {@code await} it with a bound. */
    public Exec.Running clientAsync(String... argv) {
        return Exec.start(clientDir, Map.of(), inClientNs(argv));
    }

    private List<String> inClientNs(String... argv) {
        return inNamespace(clientNs, argv);
    }

    /**
     * Runs a command in the server namespace, beside Karaf (a peer server, a capture), at most
     * {@code timeout}; working directory: {@link #clientDir()}.
     */
    public Exec.Result inServerNs(Duration timeout, String... argv) {
        return Exec.run(clientDir, timeout, inNamespace(serverNs, argv));
    }

    /** Starts a command in the server namespace and returns at once; {@code await} it with a bound. */
    public Exec.Running inServerNsAsync(String... argv) {
        return Exec.start(clientDir, Map.of(), inNamespace(serverNs, argv));
    }

    private static List<String> inNamespace(String namespace, String... argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(List.of(argv));
        return command;
    }

    /** Runs a Karaf console command over SSH and returns its output; fails the test if the command fails. */
    public String shell(String command) {
        Exec.Result result = shellResult(command, SHELL_TIMEOUT);
        if (!result.ok()) {
            fail("Karaf console command '" + command + "' failed:\n" + result.describe());
        }
        return result.stdout();
    }

    /** Runs a Karaf console command over SSH (in the server namespace, to 127.0.0.1:8101), ANSI colours removed. */
    public Exec.Result shellResult(String command, Duration timeout) {
        Exec.Result r = Exec.run(work, timeout, List.of("ip", "netns", "exec", serverNs,
                // No -q: at LogLevel=ERROR ssh still says why a connection failed, which -q would hide.
                "ssh", "-n", "-i", key.toString(), "-p", "8101",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes",
                "admin@127.0.0.1", command));
        return new Exec.Result(r.command(), r.exitCode(), stripAnsi(r.stdout()), stripAnsi(r.stderr()), r.timedOut(),
                r.took());
    }

    /** Karaf's base folder (the unpacked distribution). */
    public Path home() {
        return home;
    }

    public Path etc() {
        return home.resolve("etc");
    }

    /** The folder TFTP serves (org.diskless.files.cfg root = tftpboot, relative to the Karaf base). */
    public Path tftpboot() {
        return home.resolve("tftpboot");
    }

    public Path karafLog() {
        return home.resolve("data/log/karaf.log");
    }

    /** Where client commands run; clients write downloads here. */
    public Path clientDir() {
        return clientDir;
    }

    /** The client namespace's name, for a link a test puts into it ({@code ip link … netns NAME}). */
    public String clientNamespace() {
        return clientNs;
    }

    /**
     * Creates one more network namespace for the test class (a bridge, more hosts) and returns its
     * name: {@code role} (lower-case letters) in a name of the fixture's own form, so that its
     * clean-up, and the removal of what a crashed run left, cover it too.
     */
    public synchronized String addNamespace(String role) {
        if (!role.matches("[a-z]+")) {
            throw new IllegalArgumentException("a namespace role is lower-case letters: " + role);
        }
        String ns = NS_PREFIX + role + "-" + pid + "-" + SEQUENCE.incrementAndGet();
        check(Exec.run(Path.of("/"), SETUP_COMMAND_TIMEOUT, List.of("ip", "netns", "add", ns)), "create namespace " + ns);
        namespaces.add(ns);
        IN_USE.add(ns);
        return ns;
    }

    /** The process started with bin/karaf server (to tell a restart from a live change). */
    public long karafPid() {
        Process k = karaf;
        return k == null ? -1 : k.pid();
    }

    public boolean karafAlive() {
        Process k = karaf;
        return k != null && k.isAlive();
    }

    /** A name nobody else uses, e.g. {@code unique("clients-", ".bin")}. */
    public static String unique(String prefix, String suffix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + suffix;
    }

    /** Fails (never skips) unless every tool is on the client namespace's PATH, naming the Debian packages to install. */
    public void requireInClient(String packages, String... tools) {
        for (String tool : tools) {
            Exec.Result which = client("sh", "-c", "command -v " + tool);
            if (!which.ok()) {
                fail(tool + " is needed (apt-get install " + packages + "):\n" + which.describe());
            }
        }
    }

    /** Copies the test resource {@code name} (a client script) into {@link #clientDir()}; returns where. */
    public Path copyToClient(String name) {
        Path target = clientDir.resolve(name);
        try (java.io.InputStream in = DisklessServer.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                fail(name + " is not on the test class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** The {@code path=value} lines a client script printed, in order. */
    public static Map<String, String> keyValues(String output) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /**
     * The value of the row {@code name} in a console table of counters ({@code tftp:stats}, {@code rmp:stats},
     * {@code rarp:stats}), whether the columns are separated by '|' or, on a terminal, by '│'.
     */
    public static long counter(String table, String name) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(name) + "[\\s|│]+(\\d+)", Pattern.MULTILINE).matcher(table);
        if (!m.find()) {
            fail("no counter '" + name + "' in:\n" + table);
        }
        return Long.parseLong(m.group(1));
    }

    /** A text file as a TFTP client in the client namespace gets it (curl), or empty if it cannot. */
    public Optional<String> tftpText(String name) {
        Path got = clientDir.resolve("fetched-" + name.replaceAll("[^A-Za-z0-9.-]", "_"));
        try {
            Files.deleteIfExists(got);
            Exec.Result r = client("curl", "-sS", "tftp://" + SERVER_IP + "/" + name, "-o", got.toString());
            return r.ok() && Files.exists(got) ? Optional.of(Files.readString(got, StandardCharsets.US_ASCII))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code size} random bytes to {@code relativeName} under tftpboot/ (creating folders). */
    public Path randomFileInTftpboot(String relativeName, long size) {
        return randomFile(tftpboot().resolve(relativeName), size);
    }

    public static Path randomFile(Path path, long size) {
        try {
            Files.createDirectories(path.getParent());
            byte[] chunk = new byte[1 << 20];
            try (OutputStream out = Files.newOutputStream(path)) {
                for (long left = size; left > 0; ) {
                    ThreadLocalRandom.current().nextBytes(chunk);
                    int n = (int) Math.min(left, chunk.length);
                    out.write(chunk, 0, n);
                    left -= n;
                }
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ configuration and log

    /** Sets one key in etc/org.diskless.tftp.cfg; see {@link #setProperty}. */
    public void setTftpProperty(String key, String value) {
        setProperty(TFTP_CFG, key, value);
    }

    /**
     * Sets one key in etc/{@code cfgFile} (created if absent), keeping every other line: the key's line
     * is replaced where it is, appended if absent. Written to a temporary name and renamed, so
     * FileInstall never reads half a file.
     */
    public void setProperty(String cfgFile, String key, String value) {
        Path cfg = etc().resolve(cfgFile);
        try {
            List<String> lines = Files.exists(cfg) ? new ArrayList<>(Files.readAllLines(cfg)) : new ArrayList<>();
            Pattern line = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*$");
            boolean replaced = false;
            for (int i = 0; i < lines.size(); i++) {
                if (line.matcher(lines.get(i)).matches()) {
                    lines.set(i, key + " = " + value);
                    replaced = true;
                }
            }
            if (!replaced) {
                lines.add(key + " = " + value);
            }
            writeAtomically(cfg, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes etc/{@code cfgFile} whole (atomically), e.g. a new factory configuration. */
    public void writeConfig(String cfgFile, String content) {
        writeAtomically(etc().resolve(cfgFile), content.getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes etc/{@code cfgFile}: FileInstall then deletes the configuration it made from it. */
    public void deleteConfig(String cfgFile) {
        try {
            Files.deleteIfExists(etc().resolve(cfgFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts back etc/org.diskless.tftp.cfg as it was unpacked. */
    public void restoreTftpConfig() {
        writeAtomically(etc().resolve(TFTP_CFG), originalTftpConfig);
    }

    private static void writeAtomically(Path target, byte[] content) {
        // The temporary name does not end in .cfg, so FileInstall ignores it.
        Path tmp = target.resolveSibling("." + target.getFileName() + ".dlit-tmp");
        try {
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The current length of karaf.log, to look only at what is logged after it. */
    public long logMark() {
        try {
            return Files.exists(karafLog()) ? Files.size(karafLog()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What karaf.log gained since {@code mark}. */
    public String logSince(long mark) {
        try {
            byte[] all = Files.readAllBytes(karafLog());
            int from = (int) Math.min(mark, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) for a karaf.log line written after {@code mark} that contains every one of {@code parts}. */
    public Optional<String> awaitLogLine(long mark, Duration timeout, String... parts) {
        return poll(timeout, Duration.ofMillis(200), () -> logSince(mark).lines()
                .filter(l -> Stream.of(parts).allMatch(l::contains))
                .findFirst()
                .orElse(null), v -> v != null);
    }

    // ------------------------------------------------------------------ polling

    /**
     * Calls {@code attempt} every {@code interval} until {@code done} accepts its value or
     * {@code timeout} passes; returns the accepted value, or empty (the caller fails with the last one).
     */
    public static <T> Optional<T> poll(Duration timeout, Duration interval, Supplier<T> attempt, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = attempt.get();
            if (done.test(value)) {
                return Optional.ofNullable(value);
            }
            if (System.nanoTime() - deadline >= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    // ------------------------------------------------------------------ diagnostics

    private String diagnostics() {
        StringBuilder sb = new StringBuilder();
        if (karafOutput != null && Files.exists(karafOutput)) {
            sb.append("\n--- tail of ").append(karafOutput).append(" ---\n").append(tail(karafOutput, 40));
        }
        if (home != null && Files.exists(karafLog())) {
            sb.append("\n--- tail of ").append(karafLog()).append(" ---\n").append(tail(karafLog(), 40));
        }
        return sb.toString();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read: " + e.getMessage() + ")";
        }
    }

    private static String describe(Exec.Result r) {
        return r == null ? "(never tried)" : r.describe();
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String stripAnsi(String s) {
        return ANSI.matcher(s).replaceAll("");
    }

    private void log(String format, Object... args) {
        System.out.printf("[itests %s] %s%n", label, String.format(format, args));
    }
}

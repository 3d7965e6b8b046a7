package org.diskless.nfsroot.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports the nodes' roots through the host's NFS server, one {@code exportfs -o options
 * client:/path} per client, and takes back only what it exported ({@code exportfs -u
 * client:/path}): what the exports file or anyone else exported is never touched. Each run is
 * bounded by a timeout and killed beyond it. Not thread-safe: the component calls it from one
 * thread.
 */
final class Exportfs {

    private static final Logger LOG = LoggerFactory.getLogger(Exportfs.class);
    private static final int MAX_OUTPUT = 2048;

    /** One client of one path, as this class exports it. */
    record Export(String client, String path, String options) {

        String target() {
            return client + ":" + path;
        }
    }

    /** How one run of the program ended. */
    record Run(boolean started, boolean timedOut, int exitCode, String output) {

        boolean ok() {
            return started && !timedOut && exitCode == 0;
        }
    }

    /** Runs a program with a bound; the seam a test replaces. */
    @FunctionalInterface
    interface Runner {
        Run run(List<String> command, Duration timeout);
    }

    private final Runner runner;
    /** What this class exported and has not taken back, by {@link Export#target()}. */
    private final Map<String, Export> exported = new LinkedHashMap<>();

    Exportfs(Runner runner) {
        this.runner = runner;
    }

    /** What is exported by this class now, for the checks to count as exported. */
    List<Export> exported() {
        return List.copyOf(exported.values());
    }

    /**
     * Makes what this class exported {@code wanted}: takes back what is no longer wanted, exports
     * what is new or whose options changed. A run that fails is logged and tried again next time.
     */
    void sync(Collection<Export> wanted, String command, Duration timeout) {
        Map<String, Export> want = new LinkedHashMap<>();
        wanted.forEach(export -> want.put(export.target(), export));
        for (Export gone : List.copyOf(exported.values())) {
            if (!want.containsKey(gone.target())) {
                unexport(gone, command, timeout);
            }
        }
        for (Export export : want.values()) {
            if (!export.equals(exported.get(export.target()))) {
                Run run = runner.run(List.of(command, "-o", export.options(), export.target()), timeout);
                if (run.ok()) {
                    exported.put(export.target(), export);
                    LOG.info("Exported {} ({}) through {}", export.target(), export.options(), command);
                } else {
                    LOG.warn("Cannot export {}: {}", export.target(), failure(run, command));
                }
            }
        }
    }

    /** Takes back everything this class exported (on stop, or when exportfs is turned off). */
    void unexportAll(String command, Duration timeout) {
        for (Export export : List.copyOf(exported.values())) {
            unexport(export, command, timeout);
        }
    }

    private void unexport(Export export, String command, Duration timeout) {
        Run run = runner.run(List.of(command, "-u", export.target()), timeout);
        if (run.ok()) {
            exported.remove(export.target());
            LOG.info("Unexported {} through {}", export.target(), command);
        } else {
            LOG.warn("Cannot unexport {}: {}", export.target(), failure(run, command));
        }
    }

    private static String failure(Run run, String command) {
        if (!run.started()) {
            return command + " cannot be run (" + run.output() + "): install nfs-kernel-server, name the program in"
                    + " exportfsCommand, or set exportfs = false in etc/org.diskless.nfsroot.cfg";
        }
        if (run.timedOut()) {
            return command + " did not finish in time and was killed; is the NFS server hanging? (exportfsTimeout)";
        }
        return command + " exited with " + run.exitCode() + (run.output().isBlank() ? "" : ": " + run.output().strip());
    }

    /** Runs the program for real: output to a file (bounded, read after), killed with its children past the timeout. */
    static Run runProcess(List<String> command, Duration timeout) {
        Path output;
        try {
            output = Files.createTempFile("diskless-exportfs", ".out");
        } catch (IOException e) {
            return new Run(false, false, -1, "no temporary file for its output: " + e.getMessage());
        }
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            } catch (IOException e) {
                return new Run(false, false, -1, Printable.of(String.valueOf(e.getMessage()), 200));
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return new Run(true, !finished, finished ? process.exitValue() : -1, read(output));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(true, true, -1, "interrupted");
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                LOG.debug("Cannot delete {}: {}", output, e.getMessage());
            }
        }
    }

    private static String read(Path output) {
        try (InputStream in = Files.newInputStream(output)) {
            return Printable.of(new String(in.readNBytes(MAX_OUTPUT), UTF_8).replace('\n', ' '), MAX_OUTPUT);
        } catch (IOException e) {
            return "";
        }
    }

    /** The exports wanted from these reports: each node root or overlay line of a root served here. */
    static List<Export> wanted(List<NodeReport> reports) {
        List<Export> wanted = new ArrayList<>();
        for (NodeReport report : reports) {
            for (NodeReport.ExportLine line : report.exports()) {
                Export export = new Export(line.client(), line.path(), line.options());
                if (wanted.stream().noneMatch(w -> w.target().equals(export.target()))) {
                    wanted.add(export);
                }
            }
        }
        return wanted;
    }
}

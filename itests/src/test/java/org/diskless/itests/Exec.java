package org.diskless.itests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command with a hard time limit, its output captured in files (never pipes, so a
 * chatty command cannot block), its standard input from /dev/null. On timeout the command and every
 * process it started are killed: only the processes this class started, found by their PIDs.
 */
final class Exec {

    private static final Duration KILL_GRACE = Duration.ofSeconds(10);

    private Exec() {
    }

    /** What a finished (or killed) command did. */
    record Result(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut,
                  Duration took) {

        boolean ok() {
            return !timedOut && exitCode == 0;
        }

        /** Standard output then standard error: clients differ in where they print errors. */
        String output() {
            return stdout + stderr;
        }

        /** For assertion messages: everything needed to understand a failure without rerunning it. */
        String describe() {
            return "command " + String.join(" ", command)
                    + (timedOut ? "\n  TIMED OUT after " + took.toMillis() + " ms (killed)"
                                : "\n  exit code " + exitCode + " after " + took.toMillis() + " ms")
                    + "\n  stdout: " + abbreviate(stdout)
                    + "\n  stderr: " + abbreviate(stderr);
        }

        private static String abbreviate(String s) {
            String t = s.strip();
            return t.length() <= 4000 ? t : t.substring(0, 2000) + "\n  [...]\n" + t.substring(t.length() - 2000);
        }
    }

    /** A command started in the background; {@link #await} bounds and ends it. */
    static final class Running {
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;
        private final long startNanos = System.nanoTime();

        private Running(List<String> command, Process process, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /**
         * Asks a command that runs until told (a capture) to end with SIGTERM, so it can flush what it
         * holds; kills its process tree if it has not ended within {@code grace}.
         */
        Result stop(Duration grace) {
            process.destroy();
            return await(grace);
        }

        /**
         * Kills the command and what it started with SIGKILL, as a power cut would: nothing gets to
         * say goodbye on the network. Returns once it has exited.
         */
        Result kill() {
            killTree(process);
            return await(KILL_GRACE);
        }

        /** Waits at most {@code timeout}; kills the command's process tree if it is still running. */
        Result await(Duration timeout) {
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                killTree(process);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            try {
                // new String(...) replaces malformed bytes instead of throwing like Files.readString
                String stdout = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
                String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
                return new Result(command, finished ? process.exitValue() : -1, stdout, stderr, !finished, took);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteQuietly(out);
                deleteQuietly(err);
            }
        }
    }

    static Result run(Path directory, Duration timeout, List<String> command) {
        return start(directory, Map.of(), command).await(timeout);
    }

    static Running start(Path directory, Map<String, String> environment, List<String> command) {
        try {
            Path out = Files.createTempFile("dlit-", ".out");
            Path err = Files.createTempFile("dlit-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(environment);
            return new Running(List.copyOf(command), builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Kills a process this harness started and everything below it, children first. */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : descendants) {
            try {
                child.onExit().get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // Bounded: a process that ignores SIGKILL (in uninterruptible sleep) is left to the kernel.
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary file in /tmp: not worth failing a test over
        }
    }
}

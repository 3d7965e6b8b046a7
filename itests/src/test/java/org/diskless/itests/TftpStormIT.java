package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.Transfers.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A storm of slow clients: 200 atftp clients start at once in one namespace, each fetching the
 * same 1 MiB file, so each waits its turn for a cpu before it reads a block and answers it. Every
 * file must arrive intact. How many blocks went twice and how long the storm took depend on the
 * machine: they are printed, not checked ({@code benchmarks/tftp-storm.sh} measures them).
 */
class TftpStormIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final int CLIENTS = 200;
    private static final Duration STORM_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Starts CLIENTS atftp clients at once, each with the options given after the first four
     * arguments, writing to DIR/got-I with its output in DIR/got-I.log, and prints each client's
     * exit code, one a line, in order.
     */
    private static final String STORM = """
            n=$1 dir=$2 host=$3 file=$4; shift 4
            pids=()
            for ((i = 1; i <= n; i++)); do
                atftp "$@" -g -r "$file" -l "$dir/got-$i" "$host" >"$dir/got-$i.log" 2>&1 &
                pids+=($!)
            done
            for p in "${pids[@]}"; do wait "$p"; echo $?; done
            """;

    @BeforeAll
    static void everyClientSharesOneAddress() {
        long mark = server.logMark();
        server.setTftpProperty("maxTransfersPerClient", Integer.toString(CLIENTS));
        assertTrue(server.awaitLogLine(mark, Duration.ofSeconds(20), "etc/org.diskless.tftp.cfg updated",
                        "maxTransfersPerClient=" + CLIENTS).isPresent(),
                () -> "maxTransfersPerClient was not applied:\n" + server.logSince(mark));
    }

    static Stream<Arguments> atftpOptions() {
        return Stream.of(Arguments.of("RFC 1350 lock-step, 512-byte blocks", List.of()),
                Arguments.of("RFC 7440 windows of 8 1468-byte blocks",
                        List.of("--option", "blksize 1468", "--option", "windowsize 8")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("atftpOptions")
    void twoHundredClientsAtOnceEachGetTheWholeFile(String shape, List<String> options) throws IOException {
        String name = DisklessServer.unique("storm-", ".bin");
        Path file = server.randomFileInTftpboot(name, MIB);
        String expected = DisklessServer.sha256(file);
        Path dir = Files.createDirectories(server.clientDir().resolve(name + ".d"));
        long resentBefore = retransmissions();

        List<String> command = new ArrayList<>(List.of("bash", "-c", STORM, "storm", Integer.toString(CLIENTS),
                dir.toString(), SERVER_IP, name));
        command.addAll(options);
        long started = System.nanoTime();
        Exec.Result storm = server.client(STORM_TIMEOUT, command.toArray(String[]::new));
        double seconds = (System.nanoTime() - started) / 1e9;

        assertTrue(storm.ok(), () -> "the storm did not end within " + STORM_TIMEOUT.toSeconds() + " s:\n"
                + storm.describe());
        List<String> exits = storm.stdout().lines().toList();
        assertEquals(CLIENTS, exits.size(), storm::describe);
        List<String> broken = new ArrayList<>();
        for (int i = 1; i <= CLIENTS; i++) {
            Path got = dir.resolve("got-" + i);
            if (!exits.get(i - 1).equals("0") || !Files.isRegularFile(got)
                    || !DisklessServer.sha256(got).equals(expected)) {
                broken.add("client " + i + " (exit " + exits.get(i - 1) + "): " + log(dir, i));
            }
        }
        assertTrue(broken.isEmpty(), () -> broken.size() + " of " + CLIENTS + " clients did not get "
                + name + " intact; the first: " + broken.get(0));
        System.out.printf("[itests TftpStormIT] %s: %d clients in %.1f s, %d blocks resent by the server,"
                        + " %d 'got wrong block' lines%n", shape, CLIENTS,
                seconds, retransmissions() - resentBefore, wrongBlockLines(dir));
    }

    /** tftp:stats' Retransmissions. */
    private static long retransmissions() {
        return DisklessServer.counter(server.shell("tftp:stats"), "Retransmissions");
    }

    private static long wrongBlockLines(Path dir) throws IOException {
        try (Stream<Path> logs = Files.list(dir)) {
            return logs.filter(p -> p.toString().endsWith(".log"))
                    .flatMap(p -> log(p).lines())
                    .filter(l -> l.contains("got wrong block"))
                    .count();
        }
    }

    private static String log(Path dir, int client) {
        return log(dir.resolve("got-" + client + ".log")).strip();
    }

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

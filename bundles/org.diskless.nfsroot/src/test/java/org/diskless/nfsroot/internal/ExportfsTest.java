package org.diskless.nfsroot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.diskless.nfsroot.internal.Exportfs.Export;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportfsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Export NODE01 = new Export("192.0.2.21", "/export/root/node01", Analyzer.WRITABLE_OPTIONS);
    private static final Export NODE02 = new Export("192.0.2.22", "/export/root/node02", Analyzer.WRITABLE_OPTIONS);

    private final List<String> runs = new ArrayList<>();
    private boolean failing;
    private final Exportfs exportfs = new Exportfs((command, timeout) -> {
        runs.add(String.join(" ", command));
        return new Exportfs.Run(true, false, failing ? 1 : 0, failing ? "exportfs: no such path" : "");
    });

    @Test
    void exportsWhatIsWantedAndTakesBackOnlyWhatItExported() {
        exportfs.sync(List.of(NODE01, NODE02), "exportfs", TIMEOUT);
        exportfs.sync(List.of(NODE02), "exportfs", TIMEOUT);
        exportfs.unexportAll("exportfs", TIMEOUT);

        assertEquals(List.of(
                "exportfs -o rw,no_root_squash,sync,no_subtree_check 192.0.2.21:/export/root/node01",
                "exportfs -o rw,no_root_squash,sync,no_subtree_check 192.0.2.22:/export/root/node02",
                "exportfs -u 192.0.2.21:/export/root/node01",
                "exportfs -u 192.0.2.22:/export/root/node02"), runs);
        assertEquals(List.of(), exportfs.exported());
    }

    @Test
    void nothingChangedRunsNothingAndChangedOptionsExportAgain() {
        exportfs.sync(List.of(NODE01), "exportfs", TIMEOUT);
        exportfs.sync(List.of(NODE01), "exportfs", TIMEOUT);
        assertEquals(1, runs.size());
        exportfs.sync(List.of(new Export("192.0.2.21", "/export/root/node01", Analyzer.SHARED_OPTIONS)), "exportfs",
                TIMEOUT);
        assertEquals("exportfs -o ro,no_root_squash,sync,no_subtree_check 192.0.2.21:/export/root/node01", runs.get(1));
    }

    @Test
    void aFailedRunIsTriedAgainNextTimeAndNotCountedAsExported() {
        failing = true;
        exportfs.sync(List.of(NODE01), "exportfs", TIMEOUT);
        assertEquals(List.of(), exportfs.exported());
        failing = false;
        exportfs.sync(List.of(NODE01), "exportfs", TIMEOUT);
        assertEquals(List.of(NODE01), exportfs.exported());
        assertEquals(2, runs.size());
    }

    @Test
    void theRealRunnerRunsTheProgramWithItsArguments(@TempDir Path folder) throws IOException {
        Path log = folder.resolve("calls.log");
        Path fake = script(folder, "exportfs", "echo \"$@\" >> " + log + "\n");
        Exportfs real = new Exportfs(Exportfs::runProcess);
        real.sync(List.of(NODE01), fake.toString(), TIMEOUT);
        real.unexportAll(fake.toString(), TIMEOUT);
        assertEquals(List.of("-o rw,no_root_squash,sync,no_subtree_check 192.0.2.21:/export/root/node01",
                "-u 192.0.2.21:/export/root/node01"), Files.readAllLines(log));
    }

    @Test
    void aProgramThatFailsHangsOrIsMissingIsReported(@TempDir Path folder) throws IOException {
        Exportfs.Run failed = Exportfs.runProcess(List.of(script(folder, "fails", "echo 'exportfs: bad path' >&2\nexit 1\n")
                .toString()), TIMEOUT);
        assertFalse(failed.ok());
        assertEquals(1, failed.exitCode());
        assertTrue(failed.output().contains("exportfs: bad path"), failed.output());

        long started = System.nanoTime();
        Exportfs.Run hung = Exportfs.runProcess(List.of(script(folder, "hangs", "sleep 30\n").toString()),
                Duration.ofSeconds(1));
        assertTrue(hung.timedOut());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(15).toNanos(), "killed at its timeout");

        Exportfs.Run missing = Exportfs.runProcess(List.of(folder.resolve("no-such-exportfs").toString()), TIMEOUT);
        assertFalse(missing.started());
    }

    static Path script(Path folder, String name, String body) throws IOException {
        Path script = folder.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}

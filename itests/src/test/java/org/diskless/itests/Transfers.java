package org.diskless.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Assertions shared by the test classes. */
final class Transfers {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;

    private Transfers() {
    }

    /** The client ran cleanly and wrote exactly the bytes of {@code expected} to {@code got}. */
    static void assertSameBytes(Path expected, Path got, Exec.Result how) {
        assertTrue(how.ok(), () -> "the client failed:\n" + how.describe());
        assertTrue(Files.isRegularFile(got), () -> "the client wrote no " + got + "\n" + how.describe());
        long expectedSize = size(expected);
        long gotSize = size(got);
        assertEquals(expectedSize, gotSize, () -> "size of " + got + " differs from " + expected + "\n" + how.describe());
        assertEquals(DisklessServer.sha256(expected), DisklessServer.sha256(got),
                () -> "content of " + got + " differs from " + expected + " (same size " + gotSize + ")\n" + how.describe());
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.diskless.rarp.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the code under test logs while this is open (slf4j-simple writes to System.err). */
final class CapturedLog implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    CapturedLog() {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    long linesContaining(String text) {
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(text)).count();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}

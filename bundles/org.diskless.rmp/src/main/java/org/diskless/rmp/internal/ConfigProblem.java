package org.diskless.rmp.internal;

import java.nio.file.Path;

/** A line of a configuration file that cannot be used, and why; {@code line} 0 means the whole file. */
record ConfigProblem(Path file, int line, String message) {

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}

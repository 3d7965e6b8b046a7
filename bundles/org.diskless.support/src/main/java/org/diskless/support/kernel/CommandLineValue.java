package org.diskless.support.kernel;

import java.util.Objects;

/**
 * One value written into a kernel command line: literal text, or a variable the boot loader
 * expands when it runs (iPXE's {@code ${ip}}), with the longest text it can expand to, so that a
 * length check counts what the kernel will get rather than what the script holds.
 */
public record CommandLineValue(String text, int longest) {

    public CommandLineValue {
        Objects.requireNonNull(text, "text");
        if (longest < 0) {
            throw new IllegalArgumentException("a value cannot expand to fewer than 0 characters: " + longest);
        }
    }

    public static CommandLineValue literal(String text) {
        return new CommandLineValue(text, text.length());
    }

    /** A loader variable such as {@code ${next-server}} that expands to at most {@code longest} characters. */
    public static CommandLineValue variable(String text, int longest) {
        return new CommandLineValue(text, longest);
    }

    /** What the value adds beyond its own text once expanded at its longest (negative when it shrinks). */
    int growth() {
        return longest - text.length();
    }
}

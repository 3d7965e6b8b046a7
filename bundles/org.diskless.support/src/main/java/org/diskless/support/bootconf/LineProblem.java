package org.diskless.support.bootconf;

/** A line of a boot configuration file that cannot be used, and why; line numbers count from 1. */
public record LineProblem(int line, String reason) {

    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}

package org.diskless.nodes.internal;

/** A line of an imported file that gave no node, and why. */
public record SkippedLine(int line, String reason) {

    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}

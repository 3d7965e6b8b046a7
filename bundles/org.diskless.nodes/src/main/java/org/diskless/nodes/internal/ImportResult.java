package org.diskless.nodes.internal;

import java.util.List;

import org.diskless.api.nodes.Node;

/** What an importer found in a file: the nodes with their lines, in file order, and the lines it had to skip. */
public record ImportResult(List<Found> found, List<SkippedLine> skipped) {

    /** A node and the line of the file that gave it, so that a duplicate can say where it met the first. */
    public record Found(Node node, int line) {
    }

    public ImportResult {
        found = List.copyOf(found);
        skipped = List.copyOf(skipped);
    }

    public List<Node> nodes() {
        return found.stream().map(Found::node).toList();
    }
}

package org.diskless.nodes.internal;

import java.util.List;

import org.diskless.api.nodes.Node;

/** What an importer found in a file: the nodes, in file order, and the lines it had to skip. */
public record ImportResult(List<Node> nodes, List<SkippedLine> skipped) {

    public ImportResult {
        nodes = List.copyOf(nodes);
        skipped = List.copyOf(skipped);
    }
}

package org.diskless.nodes.internal;

import java.util.Objects;

import org.diskless.api.nodes.Node;

/** A node together with the PID of the configuration it came from. */
public record NodeRecord(String pid, Node node) {

    public NodeRecord {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(node, "node");
    }
}

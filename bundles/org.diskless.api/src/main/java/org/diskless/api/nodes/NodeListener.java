package org.diskless.api.nodes;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: register one to hear when the inventory changes. */
@ConsumerType
public interface NodeListener {

    /**
     * A node was added ({@code before} empty), changed, or removed ({@code after} empty).
     * Called outside any lock of the directory; must not block.
     */
    void nodeChanged(Optional<Node> before, Optional<Node> after);
}
